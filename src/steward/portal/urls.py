"""The family portal, mounted at /portal/."""

from django.urls import path

from steward.portal import choices, consent_views, notices, views

urlpatterns = [
    path("", views.home, name="portal-home"),
    path("activate/", views.activate, name="portal-activate"),
    path("children/<int:pk>/", views.child_record, name="portal-child"),
    path("children/<int:pk>/log/", views.child_log, name="portal-child-log"),
    path("children/<int:pk>/media/", choices.media_release, name="portal-media"),
    path(
        "children/<int:pk>/media/revoke/<slug:key>/",
        choices.media_revoke,
        name="portal-media-revoke",
    ),
    path("children/<int:pk>/directory/", choices.directory, name="portal-directory"),
    path("children/<int:pk>/events/<int:event_id>/", choices.event_release, name="portal-event"),
    path("children/<int:pk>/consents/", consent_views.consents, name="portal-consents"),
    path(
        "children/<int:pk>/consents/<int:consent_id>/revoke/",
        consent_views.revoke_consent,
        name="portal-consent-revoke",
    ),
    path("notices/", notices.notices, name="portal-notices"),
]
