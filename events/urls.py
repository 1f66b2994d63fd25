from django.urls import path

from . import feeds, views

urlpatterns = [
    path("", views.meeting_list, name="home"),
    path("meetings/<uuid:pk>/", views.meeting_detail, name="meeting-page"),
    path(
        "meetings/<uuid:pk>/documents/<int:document_id>/",
        views.document_download,
        name="meeting-document",
    ),
    path("rsvp/<str:token>/", views.attendance_reply, name="attendance-reply"),
    path("calendar/public.ics", feeds.public_feed, name="feed-public"),
    path("calendar/meetings/<uuid:pk>.ics", feeds.meeting_feed, name="feed-meeting"),
    path("calendar/organizations/<int:pk>.ics", feeds.organization_feed, name="feed-organization"),
    path("calendar/private/<str:key>.ics", feeds.personal_feed, name="feed-personal"),
]
