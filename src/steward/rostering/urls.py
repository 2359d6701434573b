"""Rostering routes, mounted at the site root: the token endpoint and the OneRoster 1.2
rostering service under /ims/oneroster/rostering/v1p2/, and the privacy office's page for
API clients under /officer/rostering/."""

from django.urls import path, re_path

from steward.rostering import api, oauth, officer_views, unrouted

urlpatterns = [
    path("ims/oneroster/rostering/v1p2/token", oauth.token, name="oneroster-token"),
    path("ims/oneroster/rostering/v1p2/", api.api.urls),
    # After every operation: what none of them serves is answered in imsx JSON, not HTML.
    re_path(
        r"^ims/oneroster/rostering/v1p2/(?P<rest>.*)$",
        unrouted.unknown_path,
        name="oneroster-unrouted",
    ),
    path("officer/rostering/clients/", officer_views.clients, name="rostering-clients"),
    path(
        "officer/rostering/clients/<int:client_id>/rotate/",
        officer_views.rotate,
        name="rostering-client-rotate",
    ),
    path(
        "officer/rostering/clients/<int:client_id>/deactivate/",
        officer_views.deactivate,
        name="rostering-client-deactivate",
    ),
]
