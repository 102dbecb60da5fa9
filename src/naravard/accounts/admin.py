"""Admin for accounts: role and organisation editable next to Django's user fields."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from naravard.accounts.models import ApiToken, User
from naravard.accounts.provisioning import apply_role


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "region",
        "municipality",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", "region")
    search_fields = ("username", "email", "first_name", "last_name", "municipality__name")
    autocomplete_fields = ("region", "municipality")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Roll och organisation"), {"fields": ("role", "region", "municipality")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Roll och organisation"), {"fields": ("email", "role", "region", "municipality")}),
    )
    # Only a superuser may grant superuser status, single permissions or groups;
    # for everyone else staff status and the analyst group follow from the role.
    restricted = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return tuple(
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in self.restricted)})
            for name, opts in fieldsets
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        apply_role(obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with 'naravard tokens create'; here they can be seen and revoked."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at")
    search_fields = ("name", "user__username", "prefix")

    def has_add_permission(self, request):
        return False
