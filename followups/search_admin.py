"""The request admin's part of search (followups.search): its search box finds Korean word
forms, and a request's page suggests the similar requests of earlier meetings, each with a
button that links the two ("same as")."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from . import rules, search, selectors
from .models import StakeholderRequest

# The button on a suggestion: its value is the request to link as the same one.
PICK = "same_as_pick"


class RequestSearchMixin:
    def get_search_results(self, request, queryset, search_term):
        # The admin's own match (any part of the text, an organization's name) or a Korean
        # word form: "규제" finds "규제 완화" and "규제완화" alike.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = found | search.matching(queryset, search_term)
        return found, may_have_duplicates

    def suggestions(self, user, obj) -> list[StakeholderRequest]:
        """The similar requests `user` may link `obj` to: none for those who may not set the
        earlier request (officers), nor once it is set."""
        if obj is None or obj.pk is None or obj.same_as_id or not self._may_link(user):
            return []
        earlier = search.earlier_in_series(
            obj,
            selectors.requests_visible_to(
                user, StakeholderRequest.objects.select_related("meeting", "organization")
            ),
        )
        return search.similar(obj, earlier)

    @staticmethod
    def _may_link(user) -> bool:
        return user is not None and rules.may_edit_field(user, "same_as")

    @admin.display(description=_("similar earlier requests"))
    def similar_requests(self, obj):
        found = self.suggestions(getattr(obj, "shown_to", None), obj)
        if not found:
            return "—"
        return format_html_join(
            "",
            '<p><a href="{}">{}</a> · {} · {} · {} '
            '<button type="submit" class="button" name="{}" value="{}">{}</button></p>',
            (
                (
                    reverse("admin:followups_stakeholderrequest_change", args=[other.pk]),
                    other.excerpt(60),
                    other.meeting,
                    other.organization.name,
                    _("%(percent)d%% alike") % {"percent": round(other.similarity * 100)},
                    PICK,
                    other.pk,
                    _("Same as this one"),
                )
                for other in found
            ),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A suggestion's button saves the form with that request as the earlier one.
        if request.method == "POST" and request.POST.get(PICK, "").isdigit():
            post = request.POST.copy()
            post["same_as"] = post[PICK]
            post["_continue"] = "1"
            request.POST = post
        return super().changeform_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        # A new request like earlier ones opens on its page, where they are suggested.
        if "_popup" not in request.POST and self.suggestions(request.user, obj):
            messages.info(
                request,
                _(
                    "Requests like this one were raised at earlier meetings: link it below if it "
                    "is the same."
                ),
            )
            url = reverse("admin:followups_stakeholderrequest_change", args=[obj.pk])
            return HttpResponseRedirect(url)
        return super().response_add(request, obj, post_url_continue)
