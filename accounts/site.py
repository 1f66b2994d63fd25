"""The admin site: Django's, with a start page for each role and its pages grouped by task
(dashboard.start). Installed in place of django.contrib.admin's own config (settings)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class RoundtableAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps  # an app's own page lists its models, as Django has it
        from dashboard import start

        return start.grouped(apps, request.user)

    def index(self, request, extra_context=None):
        from dashboard import start

        context = {"start": start.start_page(request.user), **(extra_context or {})}
        return super().index(request, context)


class RoundtableAdminConfig(AdminConfig):
    default_site = "accounts.site.RoundtableAdminSite"
