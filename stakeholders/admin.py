import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from audit.history import HistoryAdmin

from . import business_number, rules, selectors, services
from .models import ContactAccess, Organization, OrganizationName, Person
from .names import normalize_name


class AliasFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # The organization's own names are already in the index: an alias repeating one of
        # them, or another alias, would clash there.
        seen = {normalize_name(self.instance.name), normalize_name(self.instance.name_en)}
        for form in self.forms:
            name = form.cleaned_data.get("name") if hasattr(form, "cleaned_data") else None
            if not name or form.cleaned_data.get("DELETE"):
                continue
            key = normalize_name(name)
            if key in seen:
                form.add_error("name", _("This organization is already known by this name."))
            seen.add(key)


class AliasInline(admin.TabularInline):
    model = OrganizationName
    formset = AliasFormSet
    fields = ["name"]
    extra = 1
    verbose_name = _("alias")
    verbose_name_plural = _("aliases (other names this organization is known by)")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=OrganizationName.Kind.ALIAS)


class PersonForm(forms.ModelForm):
    """New contacts say where their details came from and on what basis they are kept
    (stakeholders.rules)."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            for field in rules.provenance_missing(cleaned):
                if field in self.fields:
                    self.add_error(field, rules.MISSING)
        return cleaned


class ContactInline(admin.TabularInline):
    model = Person
    form = PersonForm
    fk_name = "organization"
    fields = [
        "name",
        "name_en",
        "position",
        "email",
        "phone",
        "language",
        "accepts_email",
        "source",
        "legal_basis",
    ]
    extra = 0
    show_change_link = True
    verbose_name = _("contact")
    verbose_name_plural = _("contacts")


class RecordsContactLooks:
    """Records a look at the contacts a change page shows (`contacts_shown`), whenever the
    page is drawn: opened, or shown again with a form error."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            services.contacts_accessed(
                request=request,
                action=ContactAccess.Action.VIEWED,
                people=self.contacts_shown(obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Organization)
class OrganizationAdmin(RecordsContactLooks, HistoryAdmin):
    list_display = ["name", "name_en", "kind", "sector", "alias_list", "people_count"]
    list_filter = ["kind"]
    ordering = ["name"]  # annotated querysets drop Meta.ordering
    # Searching goes through the normalized name index (see get_search_results); the field
    # is listed so the admin offers a search box and autocomplete.
    search_fields = ["name"]
    search_help_text = _(
        "Finds Korean and English names and aliases, ignoring case, spaces and legal forms, "
        "and business registration numbers."
    )
    fieldsets = [
        (None, {"fields": ["name", "name_en", "kind", "sector", "website", "business_number"]}),
        (_("Across the series"), {"fields": ["across_the_series"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["created_at", "updated_at", "across_the_series"]
    inlines = [AliasInline, ContactInline]
    actions = ["merge"]

    def contacts_shown(self, organization):
        return organization.people.all()  # the contacts inline

    def save_model(self, request, obj, form, change):
        services.organization_save(organization=obj)

    def save_formset(self, request, form, formset, change):
        for row in formset.save(commit=False):
            if formset.model is Person:
                services.person_save(person=row)
            else:
                services.alias_save(alias=row)
        for row in formset.deleted_objects:
            row.delete()

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(people_total=Count("people", distinct=True))
            .prefetch_related("names")
        )

    def get_search_results(self, request, queryset, search_term):
        number = business_number.normalize(search_term)
        if number.isdigit() and len(number) == 10:
            return queryset.filter(business_number=number), False
        if not normalize_name(search_term):
            return queryset, False
        return queryset.matching(search_term), False

    @admin.action(
        description=_("Merge the selected organizations into one"),
        permissions=["change", "delete"],
    )
    def merge(self, request, queryset):
        """Asks which organization to keep, then merges the others into it."""
        chosen = list(queryset.annotate(rows=Count("people", distinct=True)).order_by("pk"))
        if len(chosen) < 2:
            self.message_user(request, _("Select at least two organizations."), messages.ERROR)
            return None
        keep = next((o for o in chosen if str(o.pk) == request.POST.get("keep")), None)
        if "confirm" not in request.POST or keep is None:
            return TemplateResponse(
                request,
                "admin/stakeholders/organization/merge.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Merge organizations"),
                    "organizations": chosen,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        try:
            report = services.organizations_merge(keep=keep, others=chosen)
        except IntegrityError as error:
            self.message_user(
                request,
                _(
                    "Nothing was merged: a row of one organization clashes with the kept one's "
                    "(%(error)s)."
                )
                % {"error": error},
                messages.ERROR,
            )
            return None
        self.message_user(
            request,
            _(
                "Merged into %(keep)s: %(moved)d rows moved, %(dropped)d duplicates dropped; "
                "the other names are now aliases."
            )
            % {"keep": keep, **report},
            messages.SUCCESS,
        )
        return None

    @admin.display(description=_("timeline"))
    def across_the_series(self, obj):
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("dashboard-organization", args=[obj.pk]),
            _(
                "Every meeting it attended and request it made across the series, and what "
                "became of them, in order"
            ),
        )

    @admin.display(description=_("aliases"))
    def alias_list(self, obj):
        return ", ".join(obj.aliases)

    @admin.display(description=_("contacts"), ordering="people_total")
    def people_count(self, obj):
        return obj.people_total


@admin.register(Person)
class PersonAdmin(RecordsContactLooks, HistoryAdmin):
    list_display = [
        "name",
        "name_en",
        "organization",
        "position",
        "email",
        "language",
        "accepts_email",
        "user",
    ]
    list_filter = ["organization__kind", "language", "accepts_email", "source", "legal_basis"]
    list_select_related = ["organization", "user"]
    search_fields = ["name", "name_en", "email", "position"]
    search_help_text = _("Finds names, email, position, or the organization's names and aliases.")
    autocomplete_fields = ["organization", "user"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "organization", "position"]}),
        (_("Contact"), {"fields": ["email", "phone", "language", "accepts_email"]}),
        (
            _("Source and legal basis"),
            {"fields": ["source", "source_note", "legal_basis", "legal_basis_date"]},
        ),
        (_("Sign-in"), {"fields": ["user"]}),
    ]
    form = PersonForm
    actions = ["export_everything", "erase"]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200:
            services.contacts_accessed(request=request, action=ContactAccess.Action.LISTED)
        return response

    def contacts_shown(self, person):
        return [person]

    def save_model(self, request, obj, form, change):
        services.person_save(person=obj)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_history_look(request, object_id, response)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._record_history_look(request, object_id, response)
        return response

    def _record_history_look(self, request, object_id, response):
        # Past versions show past email addresses and phone numbers.
        if response.status_code == 200:
            services.contacts_accessed(
                request=request,
                action=ContactAccess.Action.VIEWED,
                people=[Person(pk=self.object_key(object_id))],
                detail="history",
            )

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if normalize_name(search_term):
            found |= queryset.filter(organization__in=Organization.objects.matching(search_term))
        return found, may_have_duplicates

    @admin.action(
        description=_("Export everything held about the selected person (access request)"),
        permissions=["change"],
    )
    def export_everything(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one person."), messages.ERROR)
            return None
        person = queryset.get()
        services.contacts_accessed(
            request=request, action=ContactAccess.Action.EXPORTED, people=[person]
        )
        held = json.dumps(
            selectors.everything_about(person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        response = HttpResponse(held, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            True, f"person-{person.pk}.json"
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(
        description=_("Erase the selected people's personal details (erasure request)"),
        permissions=["change"],
    )
    def erase(self, request, queryset):
        """Asks for confirmation, then erases as the retention command does; their requests
        and attendance stay under a placeholder name."""
        people = list(queryset.filter(anonymised_at__isnull=True).select_related("organization"))
        if "confirm" not in request.POST:
            return TemplateResponse(
                request,
                "admin/stakeholders/person/erase.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Erase personal details"),
                    "people": people,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        services.contacts_accessed(
            request=request, action=ContactAccess.Action.ERASED, people=people
        )
        erased = services.contacts_anonymise(
            people=Person.objects.filter(pk__in=[p.pk for p in people]),
            reason=_("Erased at the person's request"),
        )
        self.message_user(
            request,
            _("Erased the personal details of %(count)d people.") % {"count": erased},
            messages.SUCCESS,
        )
        return None


@admin.register(ContactAccess)
class ContactAccessAdmin(admin.ModelAdmin):
    """PIPA's access record: read only, for coordinators."""

    list_display = ["at", "username", "action", "person", "address", "detail"]
    list_filter = ["action"]
    date_hierarchy = "at"
    search_fields = ["username", "person__name", "person__name_en", "person__email"]
    list_select_related = ["person__organization"]
    readonly_fields = ["at", "user", "username", "action", "person", "address", "detail"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
