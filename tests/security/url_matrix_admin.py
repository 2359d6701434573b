"""Matrix rows: the Django admin at /admin/, for active superusers only
(`steward.accounts.admin.SuperuserAdminSite`; R116(2): district IT, not staff with `is_staff`).

Every other login, the privacy officer included, is treated like an anonymous visitor: sent
to the admin's own sign-in page. Roster tables are browse-only (adding and deleting are 403
even for a superuser); logins and groups are editable. An unknown object's page sends the
superuser back to the admin index with a message (Django's answer, 302).

A model registered in the admin adds six URL patterns: list it in `MODELS` with the row its
pages open, and the matrix covers them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from steward.accounts.models import Account
from steward.roster.models import StaffRole

from .url_matrix_spec import ADMIN_LOGIN, Args, Spec, fixed, to
from .url_matrix_world import MISSING, World

SUPERUSER = frozenset({"superuser"})
INDEX = to("admin:index")


def _user(w: World) -> Any:
    return w.users["teacher"]


def _group(w: World) -> Any:
    return Group.objects.get_or_create(name="District IT")[0]


# app_label.model → (the row its pages open, whether it may be added and deleted).
MODELS: dict[str, tuple[Any, bool]] = {
    "auth.user": (_user, True),
    "auth.group": (_group, True),
    "accounts.account": (lambda w: Account.objects.get(user=w.users["teacher"]), False),
    "roster.importrun": (lambda w: w.run, False),
    "roster.org": (lambda w: w.adams, False),
    "roster.academicsession": (lambda w: w.term, False),
    "roster.course": (lambda w: w.homeroom.course, False),
    "roster.section": (lambda w: w.homeroom, False),
    "roster.staff": (lambda w: w.tess, False),
    "roster.staffrole": (lambda w: StaffRole.objects.filter(staff=w.tess).first(), False),
}


def admin(key: str, **over: Any) -> Spec:
    values: dict[str, Any] = {"anonymous": ADMIN_LOGIN, "denied": ADMIN_LOGIN} | over
    return Spec(key, SUPERUSER, **values)


def _row(find: Any) -> Args:
    def build(w: World, role: str, right: bool) -> dict[str, Any]:
        return {"object_id": find(w).pk if right else MISSING}

    return build


def _model_specs(label: str, find: Any, editable: bool) -> list[Spec]:
    app, model = label.split(".")
    name = f"admin:{app}_{model}"
    row = _row(find)
    edit_only = 200 if editable else 403
    return [
        admin(f"{name}_changelist"),
        admin(f"{name}_add", ok=edit_only),
        admin(f"{name}_history", args=row, wrong=302),
        # Browse-only tables refuse deletion before looking the row up.
        admin(f"{name}_delete", args=row, ok=edit_only, wrong=302 if editable else 403),
        admin(f"{name}_change", args=row, wrong=302),
        # The bare object URL redirects to its change page (Django's RedirectView).
        admin(f"admin/{app}/{model}/<path:object_id>/", args=row, ok=302, wrong=302,
              url=lambda kw, app=app, model=model: f"/admin/{app}/{model}/{kw['object_id']}/"),
    ]  # fmt: skip


def _view_on_site(w: World, role: str, right: bool) -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(Account)
    return {"content_type_id": kind.pk, "object_id": Account.objects.first().pk}  # type: ignore[union-attr]


SPECS = [
    admin("admin:index"),
    # The sign-in form itself is public; a superuser already signed in goes to the index.
    admin("admin:login", ok=302, goes_to=INDEX, anonymous=200, denied=200),
    # Django's LogoutView: POST only; anyone without the admin's permission goes to its index.
    admin("admin:logout", post=True, ok=302, goes_to=to("login"), anonymous=302, denied=302),
    admin("admin:password_change"),
    admin("admin:password_change_done"),
    # Without its query (app, model, field) the autocomplete refuses even a superuser.
    admin("admin:autocomplete", ok=403),
    admin("admin:jsi18n"),
    # No Steward model has a public page on the site: nothing to redirect to.
    admin("admin:view_on_site", args=_view_on_site, ok=404),
    admin("admin:app_list", args=fixed(app_label="roster")),
    admin("admin:auth_user_password_change", wrong=404,
          args=lambda w, role, right: {"id": w.users["teacher"].pk if right else MISSING}),
    admin("admin/(?P<url>.*)$", ok=404, url=lambda kw: "/admin/no-such-page/"),
    *(spec for label, (find, editable) in MODELS.items()
      for spec in _model_specs(label, find, editable)),
]  # fmt: skip
