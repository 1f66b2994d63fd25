"""The API's JSON bodies, read with orjson and refused (400 parse_error) when no field could
take them: nested deeper than any body of the API needs, or with a NUL character in a string,
which PostgreSQL cannot store.

Python's own json module (DRF's JSONParser) recurses once per level: about a thousand nested
brackets raise RecursionError, a 500. orjson stops by itself at 1,024 levels; the limit here is
far below, so that nothing that walks the data afterwards comes near Python's recursion limit.
orjson also refuses text that is not valid UTF-8 (lone surrogates included) and NaN.
"""

import orjson
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

# The API's bodies nest three levels at most (a meeting's list of aliases…).
MAX_DEPTH = 32


class JSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = orjson.loads(stream.read().decode(encoding))
        except (ValueError, LookupError) as error:  # orjson.JSONDecodeError, UnicodeError
            raise ParseError(_("JSON parse error: %(error)s") % {"error": error}) from error
        refused = refusal(data)
        if refused:
            raise ParseError(refused)
        return data


def refusal(data) -> str | None:
    """Why `data` is refused, or None. Walks it without recursion."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return str(_("The request contains a NUL character, which no field may hold."))
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            return str(
                _("The request nests data deeper than %(depth)d levels.") % {"depth": MAX_DEPTH}
            )
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and "\x00" in key:
                return str(_("The request contains a NUL character, which no field may hold."))
            pending.append((item, depth + 1))
    return None
