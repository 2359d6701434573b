"""Request pages: the family's under /portal/requests/, the privacy office's under
/officer/requests/ (mounted at the site root, after the portal's and officer's own URLs)."""

from django.urls import path

from steward.requests import views_entry, views_office, views_portal

urlpatterns = [
    path("portal/requests/", views_portal.portal_list, name="requests-portal-list"),
    path("portal/requests/new/", views_portal.portal_new, name="requests-portal-new"),
    path("portal/requests/<int:pk>/", views_portal.portal_detail, name="requests-portal-detail"),
    path(
        "portal/requests/<int:pk>/withdraw/",
        views_portal.portal_withdraw,
        name="requests-portal-withdraw",
    ),
    path(
        "portal/requests/<int:pk>/copy/<slug:fmt>/",
        views_portal.portal_download,
        name="requests-portal-download",
    ),
    path("officer/requests/", views_office.queue, name="requests-queue"),
    path("officer/requests/new/", views_entry.enter, name="requests-enter"),
    path("officer/requests/deadlines/", views_entry.deadlines_page, name="requests-deadlines"),
    path("officer/requests/<int:pk>/", views_office.detail, name="requests-detail"),
    path("officer/requests/<int:pk>/preview/", views_office.preview, name="requests-preview"),
    path(
        "officer/requests/<int:pk>/copy/<slug:fmt>/",
        views_office.download,
        name="requests-download",
    ),
    path("officer/requests/<int:pk>/do/<slug:action>/", views_office.act, name="requests-act"),
    path(
        "officer/requests/<int:pk>/notices/<int:notice_id>/letter/",
        views_entry.notice_letter,
        name="requests-notice-letter",
    ),
    path(
        "officer/requests/<int:pk>/notices/<int:notice_id>/mailed/",
        views_entry.notice_mailed,
        name="requests-notice-mailed",
    ),
]
