from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from seedbed.accounts.actions import USER_FIELDS
from seedbed.accounts.models import Competency, OrgUnit, User
from seedbed.audit.admin import AuditedModelAdmin


class UserCreation(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")


class UserChange(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    audit_fields = USER_FIELDS
    form = UserChange
    add_form = UserCreation
    ordering = ("full_name",)
    list_display = ("full_name", "email", "role", "org_unit", "is_active", "access_until")
    list_filter = ("role", "is_active", "org_unit")
    list_select_related = ("org_unit",)
    search_fields = ("full_name", "email")
    filter_horizontal = ("competencies",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title", "org_unit", "partner_org",
                               "competencies")}),
        ("Access", {"fields": ("role", "is_active", "access_until")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("email", "full_name", "role", "password1", "password2")}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "access_until" and field is not None:
            field.widget = forms.DateInput(attrs={"type": "date"})
        return field


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedModelAdmin):
    audit_fields = ("name", "parent")
    list_display = ("name", "parent", "path")
    list_select_related = ("parent",)
    search_fields = ("name",)


@admin.register(Competency)
class CompetencyAdmin(AuditedModelAdmin):
    audit_fields = ("name", "description")
    list_display = ("name", "description")
    search_fields = ("name",)
