"""OpenAPI generation: every operation grouped under its resource, with a summary and a
description in the reader's language, and the error responses every endpoint can give."""

from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import get_doc, get_view_model
from rest_framework.permissions import AllowAny

from .serializers import BadRequestSerializer, ErrorSerializer, ValidationErrorSerializer

# What the standard actions of a resource do, named after its model.
ACTIONS = {
    "list": (
        _("List %(plural)s"),
        _(
            "The %(plural)s you may see, a page at a time; the parameters below filter and "
            "order them."
        ),
    ),
    "retrieve": (_("Read %(name)s"), _("One %(name)s, by the key in its path.")),
    "create": (
        _("Create %(name)s"),
        _("Saves a new %(name)s from the fields in the body and answers with it as saved."),
    ),
    "update": (
        _("Replace %(name)s"),
        _("Sets every writable field of the %(name)s; fields left out take their defaults."),
    ),
    "partial_update": (
        _("Change %(name)s"),
        _("Changes only the fields in the body; the others keep their values."),
    ),
    "destroy": (
        _("Delete %(name)s"),
        _("Deletes the %(name)s; while other records still refer to it, the answer is 409."),
    ),
}

INTRODUCTION = _(
    "Meetings of the AI transformation relay field roundtables, their attendees, the requests "
    "companies raised and the pledges announced, and calendar sync.\n\n"
    "## Getting a token\n\n"
    "Sign in to the admin and open **API token** (top right, %(token_page)s). Issue a token "
    "there: its key is shown once, right after it is issued. A program using the token may do "
    "what you may do, and its changes are recorded under your name.\n\n"
    "## Sending it\n\n"
    "Send the key in every request's `Authorization` header, after the word `Token` (not "
    "`Bearer`):\n\n"
    "    Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b\n\n"
    "On this page, **Authorize** (tokenAuth) takes the same `Token <key>`.\n\n"
    "## Errors\n\n"
    'Every error is `{"code": …, "detail": …, "errors": …}`: `code` is stable for programs; '
    "`detail` and the field messages in `errors` are in the language of the request's "
    "`Accept-Language` header (`ko` or `en`; Korean when it names neither)."
)


def resource_model(path):
    """The model of the resource a path is under (`/api/v1/meetings/{id}/invitations/` is
    under meetings), read from the class of the resource's list route."""
    try:
        view = getattr(resolve(f"/{'/'.join(resource_of(path))}/").func, "cls", None)
    except Resolver404:
        return None
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    meta = getattr(getattr(view, "serializer_class", None), "Meta", None)
    return getattr(meta, "model", None)


def resource_of(path) -> list[str]:
    return path.strip("/").split("/")[:3]  # api, v1, the resource


def tag_of(path):
    model = resource_model(path)
    if model is None:
        return capfirst(resource_of(path)[-1].replace("-", " "))
    return capfirst(str(model._meta.verbose_name_plural))


def routes(patterns, prefix=""):
    """Every route of the URLconf, as a path ("api/v1/^meetings/$" as "api/v1/meetings/")."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if hasattr(pattern, "url_patterns"):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route


def documented(result, generator, request, public):
    """Post-processing hook (SPECTACULAR_SETTINGS): the introduction, and the tags."""
    result["info"]["title"] = str(_("Roundtable API"))
    page = reverse("my-token")
    result["info"]["description"] = str(INTRODUCTION) % {"token_page": f"[{page}]({page})"}
    # Resources in the order the URLconf lists them (meetings first), not alphabetically.
    order = [
        tag_of(route) for route in routes(get_resolver().url_patterns) if route.startswith("api/")
    ]
    used = {
        tag
        for operations in result["paths"].values()
        for operation in operations.values()
        for tag in operation["tags"]
    }
    result["tags"] = [{"name": tag} for tag in sorted(used, key=(order + sorted(used)).index)]
    return result


class AutoSchema(openapi.AutoSchema):
    def get_tags(self):
        return [tag_of(self.path)]

    def _standard(self):
        action = getattr(self.view, "action", None)
        model = get_view_model(self.view, emit_warnings=False)
        if action not in ACTIONS or model is None:
            return None
        names = {
            "name": model._meta.verbose_name,
            "plural": model._meta.verbose_name_plural,
        }
        summary, description = ACTIONS[action]
        return str(summary) % names, str(description) % names

    def _action_doc(self):
        action = getattr(self.view, "action", None) or self.method.lower()
        return get_doc(getattr(self.view, action, None))

    def get_summary(self):
        standard = self._standard()
        if standard:
            return capfirst(standard[0])
        # A call of its own: the first sentence of what its docstring says.
        doc = self._action_doc() or get_doc(self.view.__class__)
        first = " ".join(doc.split())
        for end in (". ", ": ", "; ", ", ", " ("):
            first = first.split(end)[0]
        return first.rstrip(".") or None

    def get_description(self):
        doc = self._action_doc()
        standard = self._standard()
        if doc or not standard:
            return doc or get_doc(self.view.__class__)
        return standard[1]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            for code, serializer in self._error_responses().items():
                if code not in responses:
                    responses[code] = self._get_response_for_code(
                        serializer, code, direction=direction
                    )
        return responses

    def _error_responses(self) -> dict:
        errors = {}
        writes = self.method in ("POST", "PUT", "PATCH")
        lists = self._is_list_view()
        # Bad fields and bodies that cannot be parsed; bad filter values and query parameters;
        # on any operation, a NUL character or an id beyond range (ops.bad_input).
        errors["400"] = BadRequestSerializer if writes else ValidationErrorSerializer
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            errors["401"] = ErrorSerializer
            errors["403"] = ErrorSerializer
        # An unknown id, or a page past the last.
        if "{" in self.path or lists:
            errors["404"] = ErrorSerializer
        # Unique values taken by a concurrent writer; deleting what others still refer to.
        if writes or self.method == "DELETE":
            errors["409"] = ErrorSerializer
        # A body without a Content-Type, or in a format no parser reads.
        if writes:
            errors["415"] = ErrorSerializer
        return errors
