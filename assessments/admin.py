from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assessment, Instrument, InstrumentVersion, IntensityPolicy

admin.site.register(Instrument)
admin.site.register(IntensityPolicy)


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin):
    """Read-only: versions come from definition files through load_instrument, which validates
    them; an edit here would skip that check and could change how old assessments score."""

    list_display = ["instrument", "version", "name", "loaded_at", "loaded_by", "source_file", "content_hash"]
    list_filter = ["instrument"]
    readonly_fields = ["instrument", "version", "name", "definition", "content_hash", "loaded_at", "loaded_by", "source_file"]

    def has_add_permission(self, request):
        return False


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["supervision", "version", "status", "computed_level", "final_level", "assessed_on"]
    list_filter = ["status", "version"]
    raw_id_fields = ["supervision", "assessor", "corrects", "override_decided_by"]
