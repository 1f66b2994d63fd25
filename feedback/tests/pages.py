"""Reading the company's form as a browser does."""

import re
from html.parser import HTMLParser


def form_state(client, path) -> dict:
    """The hidden fields a rendering of the form carries: its one-time key and the version
    of the feedback it shows. A browser sends them back with the form."""
    html = client.get(path).content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("key", "version")
    }


def send(client, path, data):
    """Posts `data` as the form just opened at `path` would send it."""
    return client.post(path, {**form_state(client, path), **data})


class _Forms(HTMLParser):
    """The forms of a page and what each would send as a browser shows it (what is inside a
    <template> is not part of the page)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._inert = [], None, 0
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._inert += 1
        if self._inert:
            return
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
            return
        name = attrs.get("name")
        if self._form is None or (tag != "option" and (not name or "disabled" in attrs)):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form["fields"].append((name, attrs.get("value", default)))
        elif tag == "textarea":
            self._textarea = [name, ""]
        elif tag == "select":
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value", ""), "selected" in attrs))

    def handle_endtag(self, tag):
        if tag == "template":
            self._inert -= 1
            return
        if self._inert or self._form is None:
            return
        if tag == "textarea" and self._textarea:
            name, value = self._textarea
            # A browser drops the line break that follows <textarea>.
            self._form["fields"].append((name, value.removeprefix("\r").removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            select = self._select
            chosen = [value for value, selected in select["options"] if selected]
            if not chosen and not select["multiple"] and select["options"]:
                chosen = [select["options"][0][0]]
            self._form["fields"].extend((select["name"], value) for value in chosen)
            self._select = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._textarea is not None and not self._inert:
            self._textarea[1] += data


def form_fields(html: str, containing: str) -> dict:
    """What the page's form with a field named `containing` sends as shown: {name: [values]}."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if any(name == containing for name, _value in form["fields"]):
            fields = {}
            for name, value in form["fields"]:
                fields.setdefault(name, []).append(value)
            return fields
    raise AssertionError(f"no form with a field {containing!r}")
