"""Meetings and attendance as spreadsheets, and attendee lists read from them."""

import openpyxl
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import Error
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from files.spreadsheets import GUIDE_TITLE, ExportResource, in_language, workbook_bytes
from stakeholders.services import contact_match, contact_of

from .models import Attendance, Meeting


class MeetingExport(ExportResource):
    attendees = Field(column_name=_("attendees"))

    class Meta:
        model = Meeting
        fields = (
            "id",
            "series",
            "relay_number",
            "title",
            "title_en",
            "theme",
            "all_day",
            "start_date",
            "end_date",
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "host",
            "status",
            "visibility",
            "feedback_deadline",
            "attendees",
            "version",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("series")

    def dehydrate_attendees(self, meeting):
        # The admin's list annotates the count; any other caller counts here.
        count = getattr(meeting, "attendance_count", None)
        return meeting.attendances.count() if count is None else count


class AttendanceExport(ExportResource):
    """Columns an attendee import reads back (see COLUMNS), so a list moves between meetings."""

    organization = Field(attribute="organization__name", column_name=_("organization"))
    name = Field(column_name=_("name (Korean)"))

    class Meta:
        model = Attendance
        fields = (
            "meeting",
            "organization",
            "name",
            "person__name_en",
            "person__position",
            "person__email",
            "person__phone",
            "role",
            "status",
            "replaces",
            "note",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(
            "meeting", "organization", "person", "replaces__organization"
        )

    def dehydrate_name(self, attendance):
        return attendance.person.name if attendance.person_id else ""

    def dehydrate_replaces(self, attendance):
        replaced = attendance.replaces
        return (replaced.email or replaced.name) if replaced else ""


class ChoiceWidget(widgets.Widget):
    """A choice written as its code, its label in Korean or English ("발표", "Presenter") or
    a usual word for it (`also`)."""

    def __init__(self, choices, also):
        super().__init__()
        self.choices = choices
        self.also = also

    def clean(self, value, row=None, **kwargs):
        text = header_key(value)
        if not text:
            return ""
        for code, label in self.choices.choices:
            names = {code, *(in_language(label, lang) for lang in LANGUAGES), *self.also[code]}
            if text in {header_key(name) for name in names}:
                return code
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(map(str, self.choices.labels))}
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))


LANGUAGES = ("ko", "en")
# The columns an attendee list may have: the labels the export writes (in either language)
# are always understood, and so are the usual variants.
COLUMNS = {
    "organization": (_("organization"), "기관명", "소속 기관", "회사", "회사명", "company"),
    "name": (_("name (Korean)"), "성명", "이름", "name", "참석자"),
    "name_en": (_("name (English)"), "영문 성명", "영문명", "영문 이름", "english name"),
    "position": (_("position"), "직위", "직책", "title"),
    "email": (_("email"), "이메일", "전자우편", "e-mail", "메일"),
    "phone": (_("phone"), "전화", "전화번호", "연락처", "phone number"),
    "role": (_("role"), "역할", "구분"),
    "status": (_("status"), "상태", "참석 여부"),
    "replaces": (_("replaces"), "대신하는 사람", "대리 대상"),
    "note": (_("note"), "비고", "메모", "notes"),
}
# The blank list's example row, left in by mistake, is not imported.
EXAMPLE_EMAIL = "gildong.hong@example.com"
CHOICES = {"role": Attendance.Role, "status": Attendance.Status}


def header_key(text) -> str:
    return "".join(str(text or "").split()).lower()


def column_of(header) -> str | None:
    key = header_key(header)
    for column, (label, *variants) in COLUMNS.items():
        names = {in_language(label, lang) for lang in LANGUAGES} | set(variants)
        if key in {header_key(name) for name in names}:
            return column
    return None


def label_of(column) -> str:
    return capfirst(str(COLUMNS[column][0]))


def column_label(key) -> str:
    """Where an error about `key` (a column or an attendance field) shows on the row."""
    if key in COLUMNS:
        return label_of(key)
    try:
        return capfirst(str(Attendance._meta.get_field(key).verbose_name))
    except FieldDoesNotExist:
        return NON_FIELD_ERRORS


def relabelled(error: ValidationError) -> ValidationError:
    return ValidationError(
        {column_label(key): messages for key, messages in error.message_dict.items()}
    )


def cell(row, column) -> str:
    value = row.get(label_of(column))
    if column == "phone" and isinstance(value, int | float):
        # Excel keeps 010-… typed without dashes as a number, dropping the leading zero
        # every Korean number has.
        return f"0{int(value)}"
    return str(value if value is not None else "").strip()


# Rows of the blank list that drop-downs and text formats reach.
TEMPLATE_ROWS = 1000


def attendee_template() -> bytes:
    """A blank attendee list (.xlsx) in the reader's language: the columns an import reads,
    drop-downs of the roles and statuses, one example row (which an import leaves out) and a
    sheet that says how to fill each column in."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = capfirst(str(_("attendees")))
    example = {
        "organization": "LG전자",
        "name": "홍길동",
        "name_en": "Gildong Hong",
        "position": _("Director"),
        "email": EXAMPLE_EMAIL,
        "phone": "02-0000-0000",
        "role": Attendance.Role.COMPANY.label,
        "status": Attendance.Status.INVITED.label,
        "replaces": "",
        "note": _("Example: replace this row."),
    }
    sheet.append([label_of(column) for column in COLUMNS])
    sheet.append([str(example[column]) for column in COLUMNS])
    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 24 if column in ("organization", "email") else 14
        if column == "phone":
            # As text, or Excel drops the leading zero of 010-….
            sheet.column_dimensions[letter].number_format = "@"
        if column in CHOICES:
            sheet.add_data_validation(drop_down(column, f"{letter}2:{letter}{TEMPLATE_ROWS}"))
    guide = book.create_sheet(str(GUIDE_TITLE))
    guide.append([str(_("Column")), str(_("What to write"))])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        guide.append([label_of(column), str(how_to_fill(column))])
    guide.append([])
    guide.append(
        [
            str(
                _(
                    "One row per attendee on the “%(sheet)s” sheet. The grey row is an example: "
                    "write over it or leave it, it is not imported."
                )
                % {"sheet": sheet.title}
            )
        ]
    )
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 90
    return workbook_bytes(book)


def drop_down(column, cells) -> DataValidation:
    labels = [str(label) for label in CHOICES[column].labels]
    check = DataValidation(
        type="list",
        formula1=f'"{",".join(labels)}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=label_of(column),
        error=str(_("Choose one of the list.")),
    )
    check.add(cells)
    return check


def how_to_fill(column):
    if column in CHOICES:
        default = {"role": Attendance.Role.COMPANY, "status": Attendance.Status.INVITED}[column]
        return _("One of the list: %(choices)s. Empty: %(default)s.") % {
            "choices": ", ".join(str(label) for label in CHOICES[column].labels),
            "default": default.label,
        }
    return {
        "organization": _(
            "Required. Any of its names or aliases (엘지전자 finds LG전자); "
            "a name not known adds a company."
        ),
        "name": _("Empty with the email too: the organization is invited as a whole."),
        "email": _("Finds a known person; with a new address the person is added."),
        "phone": _("Kept as written, with its leading 0."),
        "replaces": _("For a substitute: the name or email of the colleague they attend for."),
    }.get(column, _("Optional."))


class FileError(Error):
    """An error of the whole file, as its message alone (no traceback on the page)."""

    @property
    def message(self):
        if isinstance(self.error, ValidationError):
            return " ".join(self.error.messages)
        return str(self.error)


class AttendeeImport(resources.ModelResource):
    """An attendee list for one meeting, from Excel or CSV with Korean (or English) headers.

    Organizations are found by any of their names or aliases and people by email (else by
    name within their organization); a company or person not found is created, and the
    preview says so on each row before anything is saved. A row already on the meeting's
    list is updated where the file says something: an empty cell keeps what is there. The
    whole file is one transaction: a bad row saves nothing."""

    organization = Field(attribute="organization", readonly=True)
    person = Field(attribute="person", readonly=True)
    role = Field(
        attribute="role",
        widget=ChoiceWidget(
            Attendance.Role,
            also={
                "host": ("주최", "주관"),
                "presenter": ("발표자",),
                "company": ("회사", "업체"),
                "expert": ("전문가", "자문"),
                "ministry": ("부처", "정부", "관계 부처"),
                "other": (),
            },
        ),
        default="company",
    )
    status = Field(
        attribute="status",
        widget=ChoiceWidget(
            Attendance.Status,
            also={
                "invited": ("초대",),
                "confirmed": ("참석 확정", "참석 예정"),
                "attended": ("참석 완료",),
                "absent": ("불참석",),
                "substitute": ("대리",),
            },
        ),
        default="invited",
    )
    note = Field(attribute="note", default="")
    found = Field(attribute="import_note", readonly=True)

    class Meta:
        model = Attendance
        fields = ("organization", "person", "role", "status", "note", "found")
        import_order = fields
        clean_model_instances = True
        use_transactions = True

    def __init__(self, meeting=None, **kwargs):
        super().__init__(**kwargs)
        self.meeting = meeting
        self.match = None
        for column, field in self.fields.items():
            field.column_name = label_of(column) if column in COLUMNS else ""
        self.fields["person"].column_name = capfirst(_("person"))
        self.fields["found"].column_name = capfirst(_("found or new"))

    def get_user_visible_fields(self):
        """The columns a file may have, listed on the import page."""
        return [Field(column_name=label_of(column)) for column in COLUMNS]

    def before_import(self, dataset, **kwargs):
        if self.meeting is None:
            raise ValidationError(_("Choose the meeting the list is for."))
        columns = [column_of(header) for header in dataset.headers or ()]
        if "organization" not in columns:
            raise ValidationError(
                _("The file has no “%(column)s” column. Its first row must name the columns.")
                % {"column": label_of("organization")}
            )
        twice = sorted({label_of(c) for c in columns if c and columns.count(c) > 1})
        if twice:
            raise ValidationError(
                _("The file names these columns more than once: %(columns)s.")
                % {"columns": ", ".join(twice)}
            )
        dataset.headers = [
            label_of(column) if column else str(header or "")
            for column, header in zip(columns, dataset.headers, strict=True)
        ]
        email = dataset.headers.index(label_of("email")) if "email" in columns else None
        # Excel keeps formatted empty rows; the blank list has an example row. Errors name
        # the rows as Excel numbers them (the headers are row 1).
        self.sheet_rows = list(range(2, len(dataset) + 2))
        for index in reversed(range(len(dataset))):
            values = dataset[index]
            if not any(str(v if v is not None else "").strip() for v in values) or (
                email is not None and str(values[email] or "").strip().lower() == EXAMPLE_EMAIL
            ):
                del dataset[index]
                del self.sheet_rows[index]
        if not len(dataset):
            raise ValidationError(
                _(
                    "The file lists nobody: write one row per attendee below the column names "
                    "(the example row is not imported)."
                )
            )

    def after_import(self, dataset, result, **kwargs):
        for row in (*result.invalid_rows, *result.error_rows):
            row.number = self.sheet_rows[row.number - 1]

    def get_error_result_class(self):
        return FileError

    def before_import_row(self, row, **kwargs):
        values = {column: cell(row, column) for column in COLUMNS}
        if not values["organization"]:
            raise ValidationError({label_of("organization"): _("Name the organization.")})
        try:
            ministry = self.fields["role"].clean(row) == Attendance.Role.MINISTRY
        except (KeyError, ValueError):
            ministry = False  # the role's own error is reported with the row
        try:
            self.match = contact_match(
                organization_name=values["organization"],
                name=values["name"],
                name_en=values["name_en"],
                email=values["email"],
                position=values["position"],
                phone=values["phone"],
                # A misspelt ministry must not become a new one that requests are sent to.
                create_organization=not ministry,
            )
            self.replaces = self.replaced(values["replaces"])
        except ValidationError as error:
            raise relabelled(error) from error
        self.match.typed_name = values["organization"]

    def replaced(self, named):
        """Whom a substitute replaces: a contact of the same organization."""
        if not named:
            return None
        person = contact_of(self.match.organization, named)
        if person is None or person.organization_id != self.match.organization.pk:
            raise ValidationError(
                {
                    "replaces": _("%(organization)s has no contact “%(named)s”.")
                    % {"organization": self.match.organization.name, "named": named}
                }
            )
        return person

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if instance.pk is not None and not str(row.get(field.column_name) or "").strip():
            return  # on a row already on the list, an empty cell keeps what is there
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise relabelled(error) from error

    def get_instance(self, instance_loader, row):
        return Attendance.objects.filter(
            meeting=self.meeting,
            organization=self.match.organization,
            person=self.match.person,
        ).first()

    def init_instance(self, row=None):
        return Attendance(
            meeting=self.meeting,
            organization=self.match.organization,
            person=self.match.person,
        )

    def after_init_instance(self, instance, new, row, **kwargs):
        if self.replaces is not None:
            instance.replaces = self.replaces
        match = self.match
        found = []
        if match.new_organization:
            found.append(_("new organization"))
        elif header_key(match.typed_name) != header_key(match.organization.name):
            found.append(
                _("“%(typed)s” is %(organization)s")
                % {"typed": match.typed_name, "organization": match.organization.name}
            )
        if match.new_person:
            found.append(_("new person"))
        elif match.person is not None:
            found.append(_("known person"))
        if not new:
            found.append(_("already on the list"))
        instance.import_note = " · ".join(str(part) for part in found) or "—"
