"""Meetings and attendance as spreadsheets, and attendee lists read from them."""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.fields import Field

from files.spreadsheets import ExportResource
from stakeholders.models import Organization
from stakeholders.services import contact_match

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


class ChoiceWidget(widgets.Widget):
    """A choice written as its code or its label in Korean or English ("발표", "Presenter")."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = header_key(value)
        if not text:
            return ""
        for code, label in self.choices.choices:
            if text in {code, *(header_key(in_language(label, lang)) for lang in LANGUAGES)}:
                return code
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {
                "value": value,
                "choices": ", ".join(str(label) for _, label in self.choices.choices),
            }
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))


LANGUAGES = ("ko", "en")
# The columns an attendee list may have: the labels the export writes (in either language)
# are always understood, and so are the usual variants.
COLUMNS = {
    "organization": (_("organization"), "기관명", "소속", "회사", "회사명", "company"),
    "name": (_("name (Korean)"), "성명", "이름", "name", "참석자"),
    "name_en": (_("name (English)"), "영문 성명", "영문명", "영문 이름", "english name"),
    "position": (_("position"), "직위", "직책", "title"),
    "email": (_("email"), "이메일", "전자우편", "e-mail", "메일"),
    "phone": (_("phone"), "전화", "전화번호", "연락처", "phone number"),
    "role": (_("role"), "역할", "구분"),
    "status": (_("status"), "상태", "참석 여부"),
    "note": (_("note"), "비고", "메모", "notes"),
}


def in_language(text, language) -> str:
    with translation.override(language):
        return str(text)


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


def attendee_template() -> tablib.Dataset:
    """A blank attendee list: the columns an import reads, in the reader's language, and one
    example row."""
    sheet = tablib.Dataset(headers=[label_of(column) for column in COLUMNS])
    example = {
        "organization": "LG전자",
        "name": "홍길동",
        "name_en": "Gildong Hong",
        "position": _("Director"),
        "email": "gildong.hong@example.com",
        "phone": "02-0000-0000",
        "role": Attendance.Role.COMPANY.label,
        "status": Attendance.Status.INVITED.label,
        "note": "",
    }
    sheet.append([str(example[column]) for column in COLUMNS])
    return sheet


class AttendeeImport(resources.ModelResource):
    """An attendee list for one meeting, from Excel or CSV with Korean (or English) headers.

    Organizations are found by any of their names or aliases and people by email (else by
    name within their organization); what is not found is created, and the preview says so
    on each row before anything is saved. A row already on the meeting's list is updated.
    The whole file is one transaction: a bad row saves nothing."""

    organization = Field(attribute="organization", readonly=True)
    person = Field(attribute="person", readonly=True)
    role = Field(attribute="role", widget=ChoiceWidget(Attendance.Role), default="company")
    status = Field(attribute="status", widget=ChoiceWidget(Attendance.Status), default="invited")
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
        dataset.headers = [
            label_of(column) if column else str(header or "")
            for column, header in zip(columns, dataset.headers, strict=True)
        ]

    def before_import_row(self, row, **kwargs):
        values = {column: str(row.get(label_of(column)) or "").strip() for column in COLUMNS}
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
                new_kind=Organization.Kind.MINISTRY if ministry else None,
            )
        except ValidationError as error:
            raise ValidationError(
                {column_label(key): messages for key, messages in error.message_dict.items()}
            ) from error
        self.match.typed_name = values["organization"]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(
                {column_label(key): messages for key, messages in error.message_dict.items()}
            ) from error

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
