from django.urls import path

from . import pages, views

# Each address with and without its closing slash: a PROPFIND or REPORT is never redirected.
urlpatterns = [
    path(".well-known/caldav", views.well_known, name="dav-well-known"),
    path(".well-known/caldav/", views.well_known),
    path("dav/", views.resource, {"kind": "root"}, name="dav-root"),
    path("dav", views.resource, {"kind": "root"}),
    path(
        "dav/principals/<str:username>/",
        views.resource,
        {"kind": "principal"},
        name="dav-principal",
    ),
    path("dav/principals/<str:username>", views.resource, {"kind": "principal"}),
    path("dav/calendars/<str:username>/", views.resource, {"kind": "home"}, name="dav-home"),
    path("dav/calendars/<str:username>", views.resource, {"kind": "home"}),
    path(
        f"dav/calendars/<str:username>/{views.CALENDAR_NAME}/",
        views.resource,
        {"kind": "calendar"},
        name="dav-calendar",
    ),
    path(
        f"dav/calendars/<str:username>/{views.CALENDAR_NAME}", views.resource, {"kind": "calendar"}
    ),
    path(
        f"dav/calendars/<str:username>/{views.CALENDAR_NAME}/<str:name>",
        views.resource,
        {"kind": "object"},
        name="dav-object",
    ),
    # Anything else under /dav/: signed in, a write is refused as everywhere, a read is a 404.
    path("dav/<path:rest>", views.resource, {"kind": "unknown"}),
    path("admin/my-calendar/app-passwords/", pages.app_passwords, name="dav-app-passwords"),
]
