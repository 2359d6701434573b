"""Sign-in (throttled, then a second factor where owed), sign-out (POST only), the sign-in
security pages under /security/, and the home page."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from steward.accounts import views
from steward.security.auth_views import SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("security/", include("steward.security.urls")),
    path("", views.home, name="home"),
]
