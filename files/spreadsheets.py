"""Spreadsheets in and out of the admin (django-import-export): Excel and CSV with headers in
the reader's language, and CSV as Excel writes and reads it in Korea."""

import datetime

import tablib
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import resources
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm


class KoreanCSV(base_formats.CSV):
    """Reads UTF-8 (with or without a byte-order mark) and CP949, which Excel on a Korean
    Windows writes; writes UTF-8 with a byte-order mark, so that Excel shows Hangul."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                in_stream = in_stream.decode("cp949")
        return tablib.import_set(in_stream, format="csv", **kwargs)

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, **kwargs)


FORMATS = [base_formats.XLSX, KoreanCSV]


class ExportForm(SelectableFieldsExportForm):
    """Columns to export, named as the file will name them."""

    def _get_field_label(self, resource, field_name):
        return force_str(resource().fields[field_name].column_name)


class ExportAdminMixin(ExportMixin):
    """Export from an admin list (the whole filtered list, or the selected rows) to Excel or
    CSV. Officers export only what their list shows them."""

    formats = FORMATS
    export_form_class = ExportForm


class ImportExportAdminMixin(ImportExportMixin):
    formats = FORMATS
    export_form_class = ExportForm


def model_field(model, path: str):
    """The model field a resource attribute (`person__email`) ends on, or None."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    try:
        return model._meta.get_field(name)
    except Exception:  # a property or method, not a field
        return None


class ExportResource(resources.ModelResource):
    """Exports rows as people read them: headers are the fields' names in the active language,
    choices their labels, related rows their names, instants in Asia/Seoul. Formulas in cells
    are neutralised (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, field in self.fields.items():
            found = model_field(self._meta.model, field.attribute or name)
            if field.column_name == name and found is not None:
                field.column_name = "ID" if found.primary_key else capfirst(str(found.verbose_name))

    def export_field(self, field, instance, **kwargs):
        dehydrate = field.get_dehydrate_method(self.get_field_name(field))
        if callable(dehydrate) or hasattr(self, dehydrate) or not field.attribute:
            return super().export_field(field, instance, **kwargs)
        found = model_field(self._meta.model, field.attribute)
        value = instance
        # A foreign key is named by its row ("LG전자"), not by its id.
        for part in field.attribute.removesuffix(
            "_id" if found and found.is_relation else ""
        ).split("__"):
            value = getattr(value, part, None)
            if value is None:
                return ""
        if found is not None and found.choices:
            return str(dict(found.flatchoices).get(value, value))
        return readable(value)


def readable(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, models.Model):
        return str(value)
    return value
