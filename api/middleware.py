"""Under /api/ every answer is JSON, also those Django writes itself: a path no route matches
(an id of the wrong form), a body it cannot parse, a server error, with DJANGO_DEBUG=1 too,
where Django would otherwise answer with its HTML debug pages."""

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response

PREFIX = "/api/"
# Headers that describe the body being replaced; every other one (policies, request id,
# Vary, Allow) stays.
BODY_HEADERS = {"content-type", "content-length", "content-disposition", "content-encoding"}


def is_api(request) -> bool:
    return request.path_info.startswith(PREFIX)


def error_response(status: int, code: str, detail, errors=None) -> JsonResponse:
    """An error in the API's shape (see api.exceptions): {code, detail[, errors]}."""
    body = {"code": code, "detail": str(detail)}
    if errors is not None:
        body["errors"] = {key: [str(m) for m in messages] for key, messages in errors.items()}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _error_for(request, response):
    status = response.status_code
    if status == 400:
        # Bad bodies and query strings: the shape of the API's other 400s, no field named.
        error = exceptions.ParseError()
        return error_response(status, error.default_code, error.detail, errors={})
    known = {
        401: exceptions.NotAuthenticated,
        403: exceptions.PermissionDenied,
        404: exceptions.NotFound,
        406: exceptions.NotAcceptable,
        429: exceptions.Throttled,
    }
    if status in known:
        error = known[status]()
    elif status == 405:
        error = exceptions.MethodNotAllowed(request.method)
    elif status == 415:
        error = exceptions.UnsupportedMediaType(request.content_type)
    elif status >= 500:
        error = exceptions.APIException()
    else:
        return error_response(status, "error", response.reason_phrase)
    return error_response(status, error.get_codes(), error.detail)


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not is_api(request)
            or response.status_code < 400
            # DRF's own answers are in the format the caller asked for.
            or isinstance(response, Response)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        answer = _error_for(request, response)
        for header, value in response.items():
            if header.lower() not in BODY_HEADERS:
                answer[header] = value
        answer.cookies = response.cookies
        return answer
