from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path(
        "admin/reports/meetings/<uuid:pk>/report.hwpx",
        admin.site.admin_view(views.meeting_report_hwpx),
        name="meeting-report-hwpx",
    ),
    path(
        "admin/reports/meetings/<uuid:pk>/report.docx",
        admin.site.admin_view(views.meeting_report_docx),
        name="meeting-report-docx",
    ),
    path(
        "admin/reports/meetings/<uuid:pk>/forms/<int:form>/report.hwpx",
        admin.site.admin_view(views.meeting_report_form),
        name="meeting-report-form",
    ),
]
