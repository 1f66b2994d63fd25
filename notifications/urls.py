from django.urls import path

from . import views
from .links import personal_page

urlpatterns = [
    path("unsubscribe/<str:token>/", personal_page(views.unsubscribe), name="unsubscribe"),
]
