from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assessment, Instrument, InstrumentVersion, IntensityPolicy

admin.site.register(Instrument)
admin.site.register(IntensityPolicy)


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin):
    list_display = ["instrument", "version", "name", "loaded_at", "content_hash"]
    readonly_fields = ["content_hash", "loaded_at"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["supervision", "version", "status", "computed_level", "final_level", "assessed_on"]
    list_filter = ["status", "version"]
    raw_id_fields = ["supervision", "assessor", "corrects", "override_decided_by"]
