"""Exports as a staff member makes them in the admin: the list's export page, every column."""

import tablib

from files.spreadsheets import FORMATS, KoreanCSV


def export(client, model_path, file_format=KoreanCSV, **filters) -> tablib.Dataset:
    """POSTs the export form of `/admin/<model_path>/` and reads the file it answers with."""
    url = f"/admin/{model_path}/export/"
    form = client.get(url, filters).context["form"]
    data = {name: "on" for name, field in form.fields.items() if hasattr(field, "resource_name")}
    data.update(format=FORMATS.index(file_format), resource=0)
    response = client.post(f"{url}?{'&'.join(f'{k}={v}' for k, v in filters.items())}", data)
    assert response.status_code == 200, response.content[:500]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return file_format().create_dataset(content)
