from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, Enrolment, Partner, Programme, ProgrammeSession

admin.site.register(Partner, SimpleHistoryAdmin)
admin.site.register(Programme, SimpleHistoryAdmin)
admin.site.register(Enrolment, SimpleHistoryAdmin)
admin.site.register(ProgrammeSession)
admin.site.register(Attendance)
