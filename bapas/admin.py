from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Office, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "office_class", "city", "time_zone"]
    search_fields = ["code", "name", "city"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "office", "role", "is_active"]
    list_filter = ["office", "role", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Bapas"), {"fields": ["office", "role", "region", "time_zone", "nip", "jabatan", "pangkat",
                                                                    "language", "must_change_password"]}),)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "office", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "office"]
    search_fields = ["object_id", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
