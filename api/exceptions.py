"""One error shape for every API failure: {"code": stable, "detail": human, "errors": fields}."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the resource.")
    default_code = "conflict"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = _("This resource is no longer available.")
    default_code = "gone"


def _as_api_exception(exc):
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        return Conflict(_("Other records still refer to this one; remove or move them first."))
    if isinstance(exc, IntegrityError):
        # Validation runs first; this is two writers racing for the same unique value.
        return Conflict(_("The record clashes with one saved at the same moment; try again."))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, OverflowError):
        # An id beyond what the embedded database (SQLite) can hold; PostgreSQL finds nothing.
        return exceptions.ValidationError([_("A number in the request is out of range.")])
    if isinstance(exc, DataError):
        # A value the database refuses that no check caught (ops.bad_input refuses NUL
        # characters and ids beyond range before any view).
        return exceptions.ValidationError([_("A value in the request cannot be stored.")])
    return exc


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        response.data = {
            "code": "invalid",
            "detail": str(_("The request has invalid fields.")),
            "errors": _with_str_keys(
                errors if isinstance(errors, dict) else {"non_field_errors": errors}
            ),
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {"code": code if isinstance(code, str) else "error", "detail": str(detail)}
    return response


def _with_str_keys(errors):
    """Errors of list items are keyed by their index; JSON objects have string keys only."""
    if isinstance(errors, dict):
        return {str(key): _with_str_keys(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [_with_str_keys(value) for value in errors]
    return errors
