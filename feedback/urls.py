from django.urls import path

from . import views

urlpatterns = [path("feedback/<str:token>/", views.feedback_form, name="feedback-form")]
