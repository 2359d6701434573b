"""Sharing pages of the privacy office, mounted at /officer/sharing/."""

from django.urls import path

from steward.sharing import views, views_queries

urlpatterns = [
    path("", views.index, name="sharing-index"),
    path("<int:pk>/", views.preview, name="sharing-preview"),
    path("<int:pk>/feed/", views.feed, name="sharing-feed"),
    path("<int:pk>/exports/", views.exports, name="sharing-exports"),
    path("exports/<int:pk>/download/", views.download, name="sharing-download"),
    path("received/", views_queries.received, name="sharing-received"),
    path("recipients/", views_queries.recipients, name="sharing-recipients"),
    path("recipients.csv", views_queries.recipients_csv, name="sharing-recipients-csv"),
]
