"""Retention pages, mounted at /retention/: the privacy office's, and the family's notice."""

from django.urls import path

from steward.retention import views, views_family

urlpatterns = [
    path("", views.calendar, name="retention-calendar"),
    path("lookup/", views.lookup, name="retention-lookup"),
    path("exits/new/", views.exit_new, name="retention-exit-new"),
    path("exits/<int:pk>/cancel/", views.exit_cancel, name="retention-exit-cancel"),
    path("students/<int:pk>/", views.student, name="retention-student"),
    path("students/<int:pk>/holds/", views.hold_place, name="retention-hold-place"),
    path("students/<int:pk>/destroy/", views.destroy, name="retention-destroy"),
    path("holds/<int:pk>/release/", views.hold_release, name="retention-hold-release"),
    path("notices/<int:pk>/sent/", views.notice_sent, name="retention-notice-sent"),
    path("notices/<int:pk>/delivered/", views.notice_delivered, name="retention-notice-delivered"),
    path("notices/<int:pk>.pdf", views.notice_pdf, name="retention-notice-pdf"),
    path("certificates/<int:pk>/", views.certificate, name="retention-certificate"),
    path("certificates/<int:pk>.pdf", views.certificate_pdf, name="retention-certificate-pdf"),
    path("family/notices/<int:pk>/", views_family.notice, name="retention-family-notice"),
    path(
        "family/notices/<int:pk>.pdf", views_family.notice_pdf, name="retention-family-notice-pdf"
    ),
]
