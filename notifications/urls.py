from django.urls import path

from links.pages import private

from . import views

urlpatterns = [
    path("unsubscribe/<str:token>/", private(views.unsubscribe), name="unsubscribe"),
]
