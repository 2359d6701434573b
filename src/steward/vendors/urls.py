"""Vendor routes, mounted at the site root. Each group lives in its own module:

- `urls_registry`: registry and vetting for the privacy office (/officer/vendors/...), and the
  staff pages listing the apps they may use and their app requests (/apps/...);
- `urls_agreements`: agreements and their lifecycle for the privacy office
  (/officer/agreements/...), the dashboard, and the vendor contact's pages (/vendor/...);
- `urls_public`: the public transparency page, the SDPC registry export, signed documents
  and printable PDFs (/privacy/apps/...).
"""

from django.urls import include, path

urlpatterns = [
    path("", include("steward.vendors.urls_registry")),
    path("", include("steward.vendors.urls_agreements")),
    path("", include("steward.vendors.urls_public")),
]
