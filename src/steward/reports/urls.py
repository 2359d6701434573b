"""Report pages, mounted at /officer/reports/ (privacy office only)."""

from django.urls import path

from steward.reports import views, views_extracts, views_releases

urlpatterns = [
    path("", views.index, name="reports-index"),
    path("build/", views.builder, name="reports-build"),
    path("build/prepare/", views.prepare, name="reports-prepare"),
    path("series/<int:pk>/", views.series, name="reports-series"),
    path("series/<int:pk>/next/", views.series_next, name="reports-series-next"),
    path("releases/<int:pk>/", views_releases.release, name="reports-release"),
    path("releases/<int:pk>/approve/", views_releases.approve, name="reports-release-approve"),
    path("releases/<int:pk>/discard/", views_releases.discard, name="reports-release-discard"),
    path("releases/<int:pk>.csv", views_releases.release_csv, name="reports-release-csv"),
    path("releases/<int:pk>.pdf", views_releases.release_pdf, name="reports-release-pdf"),
    path("extracts/", views_extracts.extracts, name="reports-extracts"),
    path("extracts/<int:pk>/", views_extracts.extract, name="reports-extract"),
    path("extracts/<int:pk>/deliver/", views_extracts.deliver, name="reports-extract-deliver"),
    path("extracts/<int:pk>/discard/", views_extracts.discard, name="reports-extract-discard"),
    path("extracts/<int:pk>.csv", views_extracts.extract_csv, name="reports-extract-csv"),
]
