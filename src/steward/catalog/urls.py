"""Public data-catalog pages, mounted at the site root (no login needed, R137)."""

from django.urls import path

from steward.catalog import views

urlpatterns = [
    path("privacy/data/", views.data_page, name="catalog-data"),
    path("privacy/data.json", views.data_json, name="catalog-data-json"),
    path("privacy/data.csv", views.data_csv, name="catalog-data-csv"),
]
