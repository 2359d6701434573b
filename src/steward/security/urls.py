"""Sign-in security pages, mounted at /security/ (by `steward.accounts.urls`)."""

from django.urls import path

from steward.security import auth_admin_views, auth_views, mfa_views

urlpatterns = [
    path("reauthenticate/", auth_views.reauthenticate, name="security-reauthenticate"),
    path("mfa/", mfa_views.status, name="security-mfa"),
    path("mfa/setup/", mfa_views.setup, name="security-mfa-setup"),
    path("mfa/verify/", mfa_views.verify, name="security-mfa-verify"),
    path("mfa/recovery-codes/", mfa_views.recovery_codes, name="security-mfa-recovery-codes"),
    path("mfa/remove/", mfa_views.remove, name="security-mfa-remove"),
    path("mfa/reset/", auth_admin_views.mfa_reset, name="security-mfa-reset"),
    path("lockouts/", auth_admin_views.lockouts, name="security-lockouts"),
    path("lockouts/unlock/", auth_admin_views.unlock, name="security-lockouts-unlock"),
]
