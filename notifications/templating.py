"""The language of email templates: reminder rules and the wording of one-off emails.

Django's template language cut down to what an email needs (`if`, `for`, `with`, `firstof`,
`now`, `comment` and text filters; no `load`, `include`, `url` or `debug`), rendered against
plain values only. Each rule kind declares the variables it offers (`Var`); `values()` copies
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
