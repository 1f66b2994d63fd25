"""An operation of the API's schema with every component it names written out in place, to
hold against a copy kept beside a test: a list read differently must not change what it
declares."""

import json

from django.utils import translation
from drf_spectacular.generators import SchemaGenerator


def operation(path, method="get") -> str:
    """The schema's `method` on `path`, in English (the msgids), its `$ref`s resolved, as
    indented JSON in the schema's order (a field moved is a change)."""
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    def resolved(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                name = ref.removeprefix("#/components/schemas/")
                return {"$component": name, **resolved(components[name])}
            return {key: resolved(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolved(item) for item in node]
        return node

    text = json.dumps(resolved(schema["paths"][path][method]), ensure_ascii=False, indent=2)
    return text + "\n"
