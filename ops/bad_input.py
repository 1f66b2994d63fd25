"""Input no database can hold is a 400, before any view or query sees it.

- A NUL character anywhere in the request line, a header, a cookie or a form field: PostgreSQL
  refuses it in any text ("PostgreSQL text fields cannot contain NUL"), and it reached the
  database through feed keys, admin filters, sessions and the records of who looked at
  contacts, which store the query string.
- A whole number in the query string beyond the 64-bit range ids have: SQLite cannot bind it
  at all (OverflowError) and PostgreSQL finds nothing, so every filter on an id answered
  differently. Ids beyond the range in forms and actions match nothing (ops.lookups).
- What still fails on bad input inside a view is answered 400 too, never 500, and logged as a
  warning: a number SQLite cannot bind (OverflowError), a value PostgreSQL refuses
  (DataError), a value a field refuses where no form checked it (ValidationError: the admin's
  actions and choice widgets look up posted ids of any form).

Under /api/ the answer is the API's error, {code, detail, errors}.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _

from api.middleware import error_response, is_api

logger = logging.getLogger(__name__)

# The range of a 64-bit id (SQLite's INTEGER, PostgreSQL's bigint).
ID_MIN, ID_MAX = -(2**63), 2**63 - 1
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

NUL = _("The request contains a NUL character, which no field may hold.")
OUT_OF_RANGE = _("A number in the request is out of range.")
NOT_STORABLE = _("A value in the request cannot be stored.")


def beyond_id_range(value: str) -> bool:
    """Whether `value` is a whole number, or a comma-separated list of them (the admin's
    `__in` filters), one of which no id can be."""
    for part in value.split(","):
        digits = part.strip().lstrip("+-").replace("_", "").lstrip("0")
        if not digits.isdecimal():
            continue
        if len(digits) > len(str(ID_MAX)):
            return True  # without asking int(), which refuses numbers of 4,300 digits
        try:
            number = int(part)
        except ValueError:
            continue
        if not ID_MIN <= number <= ID_MAX:
            return True
    return False


def _has_nul(pairs) -> str | None:
    """The name of the first pair with a NUL in its name or value, or None."""
    for key, values in pairs:
        for value in values if isinstance(values, list) else [values]:
            if "\x00" in key or (isinstance(value, str) and "\x00" in value):
                return key.replace("\x00", "")
    return None


def refusal(request) -> tuple[str, str] | None:
    """(what, why) for a request to refuse, or None."""
    if "\x00" in request.path_info:
        return "non_field_errors", NUL
    headers = ((key, value) for key, value in request.META.items() if key.startswith("HTTP_"))
    if _has_nul(headers) is not None or _has_nul(request.COOKIES.items()) is not None:
        return "non_field_errors", NUL
    if (name := _has_nul(request.GET.lists())) is not None:
        return name, NUL
    for name, values in request.GET.lists():
        if any(beyond_id_range(value) for value in values):
            return name, OUT_OF_RANGE
    if request.method == "POST" and request.content_type in FORM_TYPES:
        name = _has_nul(request.POST.lists())
        if name is not None:
            return name, NUL
    return None


def bad_request(request, field, message):
    if is_api(request):
        return error_response(
            400, "invalid", _("The request has invalid fields."), errors={field: [message]}
        )
    return HttpResponseBadRequest(str(message), content_type="text/plain; charset=utf-8")


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = refusal(request)
        if refused is not None:
            return bad_request(request, *refused)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            message = OUT_OF_RANGE
        elif isinstance(exception, DataError):
            message = NOT_STORABLE
        elif isinstance(exception, ValidationError):
            message = " ".join(exception.messages)
        else:
            return None
        logger.warning("bad input refused: %s", exception, exc_info=exception)
        return bad_request(request, "non_field_errors", message)
