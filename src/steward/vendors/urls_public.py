"""Routes of the public transparency page and registry (/privacy/apps/...), the privacy
office's dashboard and registry import (/officer/vendors/...), and the printable PDFs
(/officer/agreements/<id>/pdf/... and /vendor/agreements/<id>/pdf/...)."""

from django.urls import URLPattern, URLResolver, path

from steward.vendors import views_dashboard, views_pdf, views_public

urlpatterns: list[URLPattern | URLResolver] = [
    path("privacy/apps/", views_public.apps, name="vendors-public-apps"),
    path(
        "privacy/apps/agreements/<int:pk>/document/",
        views_public.document,
        name="vendors-public-document",
    ),
    path(
        "privacy/apps/registry.csv", views_public.registry_csv, name="vendors-public-registry-csv"
    ),
    path(
        "privacy/apps/registry.json",
        views_public.registry_json,
        name="vendors-public-registry-json",
    ),
    path("officer/vendors/dashboard/", views_dashboard.dashboard, name="vendors-dashboard"),
    path(
        "officer/vendors/sdpc/registry.csv",
        views_dashboard.registry_csv,
        name="vendors-dashboard-registry-csv",
    ),
    path(
        "officer/vendors/sdpc/registry.json",
        views_dashboard.registry_json,
        name="vendors-dashboard-registry-json",
    ),
    path(
        "officer/vendors/sdpc/import/",
        views_dashboard.registry_import,
        name="vendors-dashboard-registry-import",
    ),
    *[
        path(
            f"officer/agreements/<int:pk>/pdf/{kind}/",
            views_pdf.officer_pdf,
            {"kind": kind},
            name=f"vendors-pdf-{kind}",
        )
        for kind in views_pdf.KINDS
    ],
    *[
        path(
            f"vendor/agreements/<int:pk>/pdf/{kind}/",
            views_pdf.vendor_pdf,
            {"kind": kind},
            name=f"vendors-pdf-vendor-{kind}",
        )
        for kind in views_pdf.KINDS
    ],
]
