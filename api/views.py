from django.http import JsonResponse
from django.views import defaults
from rest_framework.exceptions import NotFound


def not_found(request, exception):
    """The site's 404 page (`handler404`). Under /api/ no route matched, say for an id of the
    wrong form; the answer is still an API error, in JSON with its code. Elsewhere, the site's
    page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"code": NotFound.default_code, "detail": str(NotFound.default_detail)},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.page_not_found(request, exception)
