"""URL routes. Pages are server-rendered; JSON APIs (later issues) use django-ninja."""

from django.urls import include, path

from steward.accounts.admin import admin_site

urlpatterns = [
    # Superusers only (see steward.accounts.admin), not Django's default `admin.site`.
    path("admin/", admin_site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switcher
    path("officer/", include("steward.officer.urls")),
    path("officer/sharing/", include("steward.sharing.urls")),
    path("officer/reports/", include("steward.reports.urls")),
    path("officer/", include("steward.access.officer_urls")),
    path("officer/restrictions/", include("steward.roster.urls")),  # R17 documents (#10)
    path("students/", include("steward.access.urls")),
    path("portal/", include("steward.portal.urls")),
    path("", include("steward.amendments.urls")),  # /portal/…/amendments/, /officer/amendments/
    path("media/", include("steward.media.urls")),
    path("retention/", include("steward.retention.urls")),
    path("", include("steward.requests.urls")),  # /portal/requests/, /officer/requests/
    path("", include("steward.vendors.urls")),
    path("", include("steward.rostering.urls")),  # /ims/oneroster/rostering/v1p2/, its token
    path("", include("steward.catalog.urls")),
    path("", include("steward.stewardship.urls")),
    path("oidc/", include("steward.security.oidc_urls")),  # staff single sign-on (#10)
    path("", include("steward.accounts.urls")),
]
