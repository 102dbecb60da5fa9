"""Admin for reference data: read-only, since it is loaded from the package's files."""

from django.contrib import admin

from naravard.refdata.models import Municipality, Population, Region


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "county_name", "name", "iso_code")
    search_fields = ("code", "county_name", "name", "short_name")


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    search_fields = ("code", "name")


@admin.register(Population)
class PopulationAdmin(ReadOnlyAdmin):
    list_display = ("year", "region", "municipality", "sex", "age_band", "population", "source")
    list_filter = ("year", "sex")
    search_fields = ("region__name", "municipality__name")
