"""The language of email templates: reminder rules and the wording of one-off emails.

Django's template language cut down to what an email needs (`if`, `for`, `with`, `firstof`,
`now`, `comment` and text filters; no `load`, `include`, `url` or `debug`), rendered against
plain values only. One filter of its own, `josa`, writes the Korean particle a name takes:
`{{ organization.name|josa:"이/가" }}` gives "포스코가", "LG전자가", "Intel이"
(the form after a final consonant, then the one after a vowel: "은/는", "을/를",
"과/와", "으로/로", ...). Each rule kind declares the variables it offers (`Var`); `values()` copies
exactly those out of the kind's objects into strings, numbers, dates, lists and read-only
mappings, so no attribute of a model (a password hash, a key) can be reached from a template.
`problems()` names what a template uses that is not declared; the admin refuses such a rule.

Templates render text: the HTML part of an email escapes it as a whole.
"""

import dataclasses
import datetime
import decimal
import functools
from collections.abc import Mapping
from types import MappingProxyType

from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import FilterExpression, Variable, VariableNode
from django.template.defaulttags import FirstOfNode, ForNode, IfNode, WithNode
from django.utils.translation import gettext as _

register = Library()

TAGS = ["if", "for", "with", "firstof", "comment", "now", "spaceless"]
FILTERS = [
    "add",
    "capfirst",
    "date",
    "default",
    "default_if_none",
    "first",
    "floatformat",
    "join",
    "last",
    "length",
    "lower",
    "pluralize",
    "slice",
    "time",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "wordwrap",
    "yesno",
]
for _name in TAGS:
    register.tag(_name, defaulttags.register.tags[_name])
for _name in FILTERS:
    register.filter(_name, defaultfilters.register.filters[_name])


# --- Korean particles -----------------------------------------------------------------------

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # ㄹ among the 27 final consonants of a Hangul syllable; 0 is none (a vowel)
# The final consonant of a Latin letter or a digit read in Korean: L 엘, M 엠, N 엔; 0 영,
# 1 일, 3 삼, 6 육, 7 칠, 8 팔 (and 10, 100, ... 십, 백, 천, 만); the others end in a vowel.
_READ_FINAL = {
    "L": _RIEUL,
    "M": 16,
    "N": 4,
    "0": 21,
    "1": _RIEUL,
    "3": 16,
    "6": 1,
    "7": _RIEUL,
    "8": _RIEUL,
}
# How an English word's end sounds in Korean where its spelling says it plainly: "ng", "m",
# "n", "l" (Intel, Amazon), a vowel or an end written with ㅡ (Cloud 클라우드, Class 클래스).
# None: the spelling does not say ("le": Google 구글, Apple 애플; "k", "t", "e", ...).
_WORD_FINAL = (
    ("ng", 21),
    ("le", None),
    ("m", 16),
    ("n", 4),
    ("l", _RIEUL),
    *((end, 0) for end in "aiouyrwdsxzfv"),
)


def _final(text: str) -> int | None:
    """The final consonant (1–27) of how `text` ends when read in Korean, 0 for a vowel, or
    None when that cannot be told from its spelling."""
    word = text.rstrip(" )]}>\"'”’」』.,!?")
    if not word:
        return None
    last = word[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        return (ord(last) - _HANGUL_FIRST) % 28
    if last.isdigit() or (last.isascii() and last.isupper()):  # read letter by letter: LG, 3M
        return _READ_FINAL.get(last, 0)
    if last.isascii() and last.isalpha():
        return next((final for end, final in _WORD_FINAL if word.lower().endswith(end)), None)
    return None


@register.filter(is_safe=False)
def josa(value, forms="이/가"):
    """`value` followed by the particle it takes: `forms` is the form after a final consonant
    and the form after a vowel, e.g. "이/가", "을/를", "으로/로" (로 after ㄹ too). When the
    reading is unknown, both are written: "이(가)", "(으)로"."""
    if value in (None, ""):
        return ""  # no name, no particle
    after_consonant, _slash, after_vowel = str(forms).partition("/")
    final = _final(str(value))
    if final is None:
        if after_consonant.endswith(after_vowel):
            particle = f"({after_consonant.removesuffix(after_vowel)}){after_vowel}"
        else:
            particle = f"{after_consonant}({after_vowel})"
    elif final == 0 or (final == _RIEUL and after_consonant == f"으{after_vowel}"):
        particle = after_vowel
    else:
        particle = after_consonant
    return f"{value}{particle}"


class _SandboxEngine(Engine):
    # None of Django's default tags and filters: only this module's selection.
    default_builtins = []


@functools.cache
def _engine() -> Engine:
    return _SandboxEngine(builtins=[__name__], libraries={}, autoescape=False)


@dataclasses.dataclass(frozen=True)
class Var:
    """A variable a template may use: a value (no `fields`), a mapping of `fields`, or, with
    `many`, a list of such mappings (for `{% for %}`)."""

    help: str
    fields: dict | None = None
    many: bool = False
    # What a {% for %} over a list calls one item, in the admin's help ("request").
    item: str = ""
    # The attribute or key it is read from, when not its name ("get_status_display").
    source: str = ""


FORLOOP = Var(
    "",
    fields={
        name: Var("")
        for name in ("counter", "counter0", "revcounter", "revcounter0", "first", "last")
    },
)


# --- Rendering ------------------------------------------------------------------------------


def render(template: str, variables: dict[str, Var], source: Mapping) -> str:
    """The template rendered as text against the declared variables' values in `source`."""
    compiled = _engine().from_string(template)
    rendered = compiled.render(Context(values(variables, source), autoescape=False))
    # Django marks what it renders as safe HTML; this is plain text, to be escaped in HTML.
    return "".join([rendered])


def values(variables: dict[str, Var], source) -> dict:
    """Exactly the declared variables, read from `source` (a mapping or an object)."""
    return {name: _value(var, _read(source, var.source or name)) for name, var in variables.items()}


def _read(source, name):
    value = source.get(name) if isinstance(source, Mapping) else getattr(source, name, None)
    return value() if callable(value) else value


def _value(var: Var, value):
    if value is None:
        return None
    if var.many:
        return [MappingProxyType(values(var.fields or {}, item)) for item in value]
    if var.fields is not None:
        return MappingProxyType(values(var.fields, value))
    if isinstance(value, bool | int | float | decimal.Decimal | datetime.date | datetime.time):
        return value
    return str(value)


# --- Checking -------------------------------------------------------------------------------


def problems(template: str, variables: dict[str, Var]) -> list[str]:
    """What is wrong with a template, in words for the person who wrote it (empty: nothing)."""
    try:
        compiled = _engine().from_string(template)
    except TemplateSyntaxError as error:
        return [_("The template cannot be read: %(error)s") % {"error": error}]
    found = []
    _check_nodes(compiled.nodelist, dict(variables), found)
    return list(dict.fromkeys(found))


def _check_nodes(nodelist, scope, found):
    for node in nodelist:
        if isinstance(node, VariableNode):
            _check_expression(node.filter_expression, scope, found)
        elif isinstance(node, IfNode):
            for condition, nodes in node.conditions_nodelists:
                _check_condition(condition, scope, found)
                _check_nodes(nodes, scope, found)
        elif isinstance(node, ForNode):
            sequence = _check_expression(node.sequence, scope, found)
            item = Var("", fields=sequence.fields) if sequence and sequence.many else Var("")
            if sequence and not sequence.many:
                found.append(_("“%(name)s” is not a list.") % {"name": _name_of(node.sequence)})
            inner = {**scope, "forloop": FORLOOP, **dict.fromkeys(node.loopvars, item)}
            _check_nodes(node.nodelist_loop, inner, found)
            _check_nodes(node.nodelist_empty, scope, found)
        elif isinstance(node, WithNode):
            inner = dict(scope)
            for name, expression in node.extra_context.items():
                inner[name] = _check_expression(expression, scope, found) or Var("")
            _check_nodes(node.nodelist, inner, found)
        elif isinstance(node, FirstOfNode):
            for expression in node.vars:
                _check_expression(expression, scope, found)
        else:
            for attribute in getattr(node, "child_nodelists", ()):
                _check_nodes(getattr(node, attribute, None) or [], scope, found)


def _check_condition(condition, scope, found):
    if condition is None:  # {% else %}
        return
    if isinstance(getattr(condition, "value", None), FilterExpression):
        _check_expression(condition.value, scope, found)
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            _check_condition(part, scope, found)


def _check_expression(expression: FilterExpression, scope, found) -> Var | None:
    """Checks the variable and the filters' variable arguments; returns the variable's
    declaration when it is a plain lookup (None for literals and unknown names)."""
    for _function, arguments in expression.filters:
        for is_lookup, argument in arguments:
            if is_lookup:
                _check_lookup(argument, scope, found)
    if isinstance(expression.var, Variable):
        var = _check_lookup(expression.var, scope, found)
        return var if not expression.filters else Var("")
    return None


def _check_lookup(variable: Variable, scope, found) -> Var | None:
    if variable.lookups is None:  # a literal: "text", 3
        return None
    var = scope.get(variable.lookups[0])
    for bit in variable.lookups[1:]:
        if var is None:
            break
        if var.many:
            var = Var("", fields=var.fields) if bit.isdigit() else None
        else:
            var = (var.fields or {}).get(bit)
    if var is None:
        found.append(_("Unknown variable “%(name)s”.") % {"name": variable.var})
    return var


def _name_of(expression: FilterExpression) -> str:
    return expression.token


def described(variables: dict[str, Var], prefix="") -> list[tuple[str, str]]:
    """(name, help) of every variable, fields as dotted names, for the rule's admin page."""
    rows = []
    for name, var in variables.items():
        rows.append((prefix + name, var.help))
        if var.fields:
            item_prefix = f"{var.item or 'item'}." if var.many else f"{prefix}{name}."
            rows.extend(described(var.fields, item_prefix))
    return rows
