"""Django admin for superusers only, at /admin/ (wired in steward/urls.py).

`is_staff` alone is not enough: the site and its login form both require `is_superuser`.
Roster tables are browsable read-only (imports own them). Tables holding student data —
students, their schools, demographics, special indicators, enrollments, caseloads, guardians
and guardian links — are deliberately not registered: district IT is not "directly responsible
for education services" (P2), and every student read must go through the access module and be
logged (design.md §3 rule 1), which the admin cannot do.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from steward.accounts.models import Account
from steward.roster.models import AcademicSession, Course, ImportRun, Org, Section, Staff, StaffRole


class SuperuserAuthenticationForm(AdminAuthenticationForm):
    """The admin sign-in form, refusing active staff who are not superusers."""

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class SuperuserAdminSite(admin.AdminSite):
    """An admin site that only active superusers may use."""

    site_header = _("Steward administration")
    site_title = _("Steward administration")
    index_title = _("District IT")
    login_form = SuperuserAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_superuser", False))


admin_site = SuperuserAdminSite(name="admin")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse only: no add, change or delete, whoever asks."""

    show_full_result_count = False  # a second COUNT(*) over large tables buys nothing here

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


admin_site.register(User, UserAdmin)
admin_site.register(Group, GroupAdmin)


@admin.register(Account, site=admin_site)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "staff", "guardian"]
    list_filter = ["role"]
    list_select_related = ["user", "staff", "guardian"]
    search_fields = ["user__username"]


@admin.register(ImportRun, site=admin_site)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "started_at", "finished_at", "outcome", "oneroster_version", "source"]
    list_filter = ["outcome"]


@admin.register(Org, site=admin_site)
class OrgAdmin(ReadOnlyAdmin):
    list_display = ["name", "type", "sourced_id", "identifier", "parent", "active"]
    list_filter = ["type", "active"]
    list_select_related = ["parent"]
    search_fields = ["name", "sourced_id", "identifier"]


@admin.register(AcademicSession, site=admin_site)
class AcademicSessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "type", "start_date", "end_date", "school_year", "active"]
    list_filter = ["type", "school_year"]
    search_fields = ["title", "sourced_id"]


@admin.register(Course, site=admin_site)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "course_code", "org", "sourced_id", "active"]
    list_select_related = ["org"]
    search_fields = ["title", "course_code", "sourced_id"]


@admin.register(Section, site=admin_site)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "school", "class_type", "class_code", "periods", "active"]
    list_filter = ["class_type", "active"]
    list_select_related = ["school"]
    search_fields = ["title", "class_code", "sourced_id"]


@admin.register(Staff, site=admin_site)
class StaffAdmin(ReadOnlyAdmin):
    list_display = ["sourced_id", "family_name", "given_name", "username", "active"]
    list_filter = ["active"]
    search_fields = ["family_name", "given_name", "username", "sourced_id"]


@admin.register(StaffRole, site=admin_site)
class StaffRoleAdmin(ReadOnlyAdmin):
    list_display = ["staff", "org", "position", "begin_date", "end_date"]
    list_filter = ["position"]
    list_select_related = ["staff", "org"]
    search_fields = ["staff__family_name", "staff__sourced_id", "org__name"]
