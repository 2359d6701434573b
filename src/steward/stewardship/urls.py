"""Stewardship pages, mounted at the site root: /training/ for staff, two privacy-office pages
under /officer/ beside steward.officer's."""

from django.urls import path

from steward.stewardship import views

urlpatterns = [
    path("training/", views.training, name="stewardship-training"),
    path("officer/training/", views.officer_training, name="stewardship-officer-training"),
    path(
        "officer/training.csv",
        views.officer_training_csv,
        name="stewardship-officer-training-csv",
    ),
    path("officer/custodians/", views.officer_custodians, name="stewardship-officer-custodians"),
]
