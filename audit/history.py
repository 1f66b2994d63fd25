from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin with a History page that shows who changed which field, and a page per past
    version that only shows it. Changes go through the change form and the app's services:
    a past version is never saved back from its history page (django-simple-history would save
    it even for a user who may only view, and around the rules the services keep)."""

    def revert_disabled(self, request, obj=None):
        return True

    def object_key(self, object_id):
        """The primary key an admin URL names; 404 for one that cannot be a key ("abc")."""
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404 from error

    def history_view(self, request, object_id, extra_context=None):
        self.object_key(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        self.object_key(object_id)
        if not str(version_id).isdecimal():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)
