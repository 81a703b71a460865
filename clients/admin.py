from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Client, Contact, OffenceCategory, RecidivismEvent, StageRule, Supervision, Violation


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "register_number", "office"]
    list_filter = ["office"]
    search_fields = ["full_name", "register_number", "nik"]


@admin.register(Supervision)
class SupervisionAdmin(SimpleHistoryAdmin):
    list_display = ["client", "legal_basis", "office", "officer", "start_date", "end_date", "closed_on"]
    list_filter = ["office", "legal_basis"]
    raw_id_fields = ["client", "officer", "delegate"]


@admin.register(RecidivismEvent)
class RecidivismEventAdmin(SimpleHistoryAdmin):
    list_display = ["client", "kind", "event_date", "source", "verified"]
    list_filter = ["kind", "verified"]
    raw_id_fields = ["client", "supervision", "violation", "recorded_by"]


admin.site.register(Contact, SimpleHistoryAdmin)
admin.site.register(Violation, SimpleHistoryAdmin)
admin.site.register(OffenceCategory)
admin.site.register(StageRule)
