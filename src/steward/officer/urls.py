"""Privacy-office pages, mounted at /officer/."""

from django.urls import path

from steward.officer import views

urlpatterns = [
    path("audit/", views.audit, name="officer-audit"),
    path("audit.csv", views.audit_csv, name="officer-audit-csv"),
]
