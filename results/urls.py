from django.urls import path

from . import views

urlpatterns = [
    path("results/", views.results, name="results"),
    path(
        "results/organizations/<int:pk>/",
        views.organization_timeline,
        name="results-organization",
    ),
    path("results/pledges/<int:pk>/", views.pledge_timeline, name="results-pledge"),
]
