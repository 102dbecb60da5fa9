"""Admin for accounts: role and organisation editable next to Django's user fields."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from naravard.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "region",
                    "municipality", "is_active", "last_login")
    list_filter = ("role", "is_active", "region")
    search_fields = ("username", "email", "first_name", "last_name", "municipality__name")
    autocomplete_fields = ("region", "municipality")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Roll och organisation"), {"fields": ("role", "region", "municipality")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Roll och organisation"), {"fields": ("email", "role", "region", "municipality")}),
    )
