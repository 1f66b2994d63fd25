from django.urls import path

from . import views

urlpatterns = [
    path("feedback/<str:token>/", views.feedback_form, name="feedback-form"),
    path(
        "feedback/<str:token>/files/<int:pk>/",
        views.feedback_attachment,
        name="feedback-attachment",
    ),
]
