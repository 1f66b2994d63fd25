"""OpenAPI generation that declares the error responses every endpoint can give."""

from drf_spectacular import openapi
from rest_framework.permissions import AllowAny

from .serializers import BadRequestSerializer, ErrorSerializer, ValidationErrorSerializer


class AutoSchema(openapi.AutoSchema):
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
