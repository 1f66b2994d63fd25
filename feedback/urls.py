from django.urls import path

from notifications.links import personal_page

from . import views

urlpatterns = [
    path("feedback/<str:token>/", personal_page(views.feedback_form), name="feedback-form"),
    path(
        "feedback/<str:token>/files/<int:pk>/",
        personal_page(views.feedback_attachment),
        name="feedback-attachment",
    ),
]
