from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.views import my_calendar, my_token, two_factor
from dashboard import views as dashboard
from events.api import AttendanceViewSet, MeetingInvitationsView, MeetingViewSet, SeriesViewSet
from feedback.api import FeedbackRequestView
from followups.api import StakeholderRequestViewSet
from ops import views as ops_views
from pledges.api import CommitmentViewSet
from results.api import PublicResultsView
from stakeholders.api import OrganizationViewSet, PersonViewSet
from webhooks.api import SubscriptionViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("series", SeriesViewSet, basename="series")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("people", PersonViewSet, basename="person")
router.register("attendances", AttendanceViewSet, basename="attendance")
router.register("requests", StakeholderRequestViewSet, basename="request")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("webhooks", SubscriptionViewSet, basename="webhook")

urlpatterns = [
    # The public pages and feeds first: they are what is polled most, and no other route
    # matches their paths, so every request to them skips resolving the rest.
    path("", include("events.urls")),
    # CalDAV for calendar apps, and its app passwords on My calendar (before the admin's own).
    path("", include("dav.urls")),
    path("admin/my-calendar/", my_calendar, name="my-calendar"),
    path("admin/my-token/", my_token, name="my-token"),
    path("admin/two-factor/", two_factor, name="two-factor"),
    path("admin/status/", admin.site.admin_view(ops_views.status), name="system-status"),
    path("admin/dashboard/", admin.site.admin_view(dashboard.index), name="dashboard"),
    path(
        "admin/dashboard/organizations/<int:pk>/",
        admin.site.admin_view(dashboard.organization),
        name="dashboard-organization",
    ),
    path(
        "admin/dashboard/pledges/<int:pk>/",
        admin.site.admin_view(dashboard.pledge),
        name="dashboard-pledge",
    ),
    # A meeting's result report, from its admin page (before the admin's own).
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "api/v1/meetings/<uuid:pk>/feedback-requests/",
        FeedbackRequestView.as_view(),
        name="meeting-feedback-requests",
    ),
    path(
        "api/v1/meetings/<uuid:pk>/invitations/",
        MeetingInvitationsView.as_view(),
        name="meeting-invitations",
    ),
    path("api/v1/public/results/", PublicResultsView.as_view(), name="public-results"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include("stakeholders.urls")),
    path("", include("notifications.urls")),
    path("", include("feedback.urls")),
    path("", include("results.urls")),
]

# Under /api/, a path no route matches (an id of the wrong form) is still a JSON API error.
handler404 = "api.views.not_found"
