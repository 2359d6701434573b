"""Single sign-on routes, under /oidc/ (steward.urls). Both answer 404 while SSO is off."""

from django.urls import path

from steward.security.oidc_views import SsoCallbackView, SsoStartView

urlpatterns = [
    path("authenticate/", SsoStartView.as_view(), name="oidc_start"),
    path("callback/", SsoCallbackView.as_view(), name="oidc_callback"),
]
