"""Spreadsheets in and out of the admin (django-import-export): Excel and CSV with headers in
the reader's language, and CSV as Excel writes and reads it in Korea."""

import datetime
import decimal
import io
from urllib.parse import quote

import openpyxl
import tablib
from csp.decorators import csp_update
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.admin import ExportMixin, ImportExportMixin, ImportMixin
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm
from import_export.results import RowResult
from tablib.formats._xlsx import XLSXFormat, safe_xlsx_sheet_title

# The sheet a blank list explains itself on; reading a workbook skips it, wherever it was
# left open.
GUIDE_TITLE = gettext_lazy("How to fill in")
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"


def neutralised(dataset, leading) -> tablib.Dataset:
    """The dataset with every text that a spreadsheet would run as a formula ("=HYPERLINK(…)",
    "@SUM(…)", a company's words) quoted by a leading apostrophe, as OWASP advises."""
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append([f"'{v}" if isinstance(v, str) and v[:1] in leading and v else v for v in row])
    return safe


def in_language(text, language) -> str:
    with translation.override(language):
        return str(text)


def guide_titles() -> set[str]:
    return {safe_xlsx_sheet_title(in_language(GUIDE_TITLE, lang), "-") for lang in ("ko", "en")}


def workbook_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class SafeXLSX(base_formats.XLSX):
    """Excel, where only a text starting with "=" would become a formula; dates and times are
    Excel's own (in Asia/Seoul), so they sort and filter as dates."""

    def create_dataset(self, in_stream):
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        sheet = book.active
        if sheet.title in guide_titles():  # saved with the guide open
            sheet = next((s for s in book.worksheets if s.title not in guide_titles()), sheet)
        rows = sheet.iter_rows(values_only=True)
        dataset = tablib.Dataset(headers=list(next(rows, ())))
        for row in rows:
            dataset.append(row)
        return dataset

    def export_data(self, dataset, **kwargs):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = safe_xlsx_sheet_title(dataset.title or "Sheet1", "-")
        XLSXFormat.dset_sheet(neutralised(dataset, "="), sheet)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = DATETIME_FORMAT
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = DATE_FORMAT
        XLSXFormat._adapt_column_width(sheet, "adaptive")
        return workbook_bytes(book)


class KoreanCSV(base_formats.CSV):
    """Reads UTF-8 (with or without a byte-order mark) and CP949, which Excel on a Korean
    Windows writes; writes UTF-8 with a byte-order mark, so that Excel shows Hangul, and
    quotes what Excel would run as a formula."""

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
        written = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            written.append([as_text(value) for value in row])
        return "\ufeff" + super().export_data(neutralised(written, "=+-@\t\r"), **kwargs)


def as_text(value):
    """A CSV cell: a time as people write it, not Python's "2026-12-02 14:00:00"."""
    if isinstance(value, datetime.datetime):
        return date_format(value, "Y-m-d H:i")
    return value


FORMATS = [SafeXLSX, KoreanCSV]


def attachment(name: str, english: str, extension: str) -> str:
    """A download named after what it holds and the day in Seoul (`간담회_2026-12-02.xlsx`), in
    RFC 6266 and 5987's `filename*`, with an ASCII name for clients that read only `filename`."""
    day = timezone.localdate().isoformat()
    fallback = f"{slugify(english) or 'export'}_{day}.{extension}"
    named = quote(f"{name}_{day}.{extension}")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{named}"


def xlsx_download(content: bytes, name) -> HttpResponse:
    """An Excel file made here (not exported from a list), named `name` in the reader's
    language."""
    response = HttpResponse(content, content_type=SafeXLSX().get_content_type())
    response["Content-Disposition"] = attachment(str(name), in_language(name, "en"), "xlsx")
    return response


class ExportForm(SelectableFieldsExportForm):
    """Columns to export, named as the file will name them."""

    def _get_field_label(self, resource, field_name):
        return force_str(resource().fields[field_name].column_name)


# The export page ticks every column at once with an inline handler; the policy allows that
# one handler (by its hash), nothing else inline.
export_page_policy = csp_update(
    {"script-src": ["'unsafe-hashes'", "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"]}
)


class ExportAdminMixin(ExportMixin):
    """Export from an admin list (the whole filtered list, or the selected rows) to Excel or
    CSV. Officers export only what their list shows them."""

    formats = FORMATS
    export_form_class = ExportForm

    @export_page_policy
    def export_action(self, request):
        return super().export_action(request)

    @export_page_policy
    def export_admin_action(self, request, queryset):
        return super().export_admin_action(request, queryset)

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form)
        plural = self.model._meta.verbose_name_plural
        response["Content-Disposition"] = attachment(
            str(plural), in_language(plural, "en"), file_format.get_extension()
        )
        return response


class ImportExportAdminMixin(ImportMixin, ExportAdminMixin):
    """Import with a preview (a dry run) and a confirmation that imports all or nothing."""

    import_export_change_list_template = ImportExportMixin.import_export_change_list_template

    def import_page(self):
        app_label, model_name = self.get_model_info()
        return redirect(reverse(f"admin:{app_label}_{model_name}_import"))

    def process_import(self, request, **kwargs):
        confirm_form = self.create_confirm_form(request)
        if self.has_import_permission(request) and confirm_form.is_valid():
            storage = self.get_tmp_storage_class()(
                name=confirm_form.cleaned_data["import_file_name"],
                **self.get_tmp_storage_class_kwargs(),
            )
            try:
                stored = storage.read()
            except OSError:
                stored = None
            if stored is None:  # confirmed twice, or previewed more than a day ago
                gone = _("The previewed file is gone (already imported?): choose it again.")
                messages.error(request, gone)
                return self.import_page()
        return super().process_import(request, **kwargs)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Rolled back as a whole: the data changed between the preview and now.
            changed = _("Nothing was imported: a row no longer fits. Preview the file again.")
            messages.error(request, changed)
            return self.import_page()
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            _("Imported: %(new)d new, %(updated)d updated, %(skipped)d unchanged.")
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skipped": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )


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
    choices their labels, related rows their names, instants in Asia/Seoul."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, field in self.fields.items():
            found = model_field(self._meta.model, field.attribute or name)
            if isinstance(field.column_name, Promise):  # declared with its own label
                field.column_name = capfirst(str(field.column_name))
            elif found is not None:
                field.column_name = "ID" if found.primary_key else capfirst(str(found.verbose_name))

    def export(self, *args, **kwargs):
        dataset = super().export(*args, **kwargs)
        dataset.title = capfirst(str(self._meta.model._meta.verbose_name_plural))
        return dataset

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
    """A cell: numbers and dates as such, instants as the time in Asia/Seoul (Excel has no
    time zones), anything else as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, int | float | decimal.Decimal | datetime.date | str):
        return value
    return str(value)
