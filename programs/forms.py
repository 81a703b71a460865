import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import CasePlanGoal
from assessments.plans import need_domains
from bapas.concurrency import FingerprintedForm
from bapas.models import User
from clients.forms import DATE, VersionedForm
from clients.models import RecidivismKind

from .models import (
    SITUATION_FIELDS,
    AttendanceStatus,
    CommunityServiceDay,
    Enrolment,
    EnrolmentStatus,
    FollowUpMethod,
    FollowUpPlan,
    Partner,
    PlannedSession,
    Programme,
    ProgrammeSession,
    Situation,
)

MAX_SCHEDULE_WEEKS = 26


class PartnerForm(FingerprintedForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "contact_person", "phone", "agreement_number", "agreement_start", "agreement_end", "active"]
        widgets = {"agreement_start": DATE, "agreement_end": DATE}


class ProgrammeForm(FingerprintedForm):
    need_domains = forms.MultipleChoiceField(
        label=gettext_lazy("Domain kebutuhan yang ditangani"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Programme
        fields = ["name", "programme_type", "delivery", "facilitator_officer", "facilitator_partner", "need_domains",
                  "planned_sessions", "planned_hours", "capacity", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.office = office
        self.fields["need_domains"].choices = [(d, d) for d in need_domains()]
        self.fields["facilitator_officer"].queryset = User.objects.filter(office=office, is_active=True).order_by("first_name")
        self.fields["facilitator_partner"].queryset = Partner.objects.filter(office=office, active=True)


class EnrolForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["programme", "goal", "referral_date", "start_date", "planned_end"]
        widgets = {"referral_date": DATE, "start_date": DATE, "planned_end": DATE}

    def __init__(self, *args, supervision=None, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.supervision = supervision
        self.fields["programme"].queryset = programmes
        self.fields["goal"].queryset = CasePlanGoal.objects.filter(plan__supervision=supervision)
        self.fields["goal"].label_from_instance = lambda goal: f"{goal.need_domain}: {goal.goal}"
        self.fields["referral_date"].initial = timezone.localdate()
        self.fields["start_date"].help_text = _("Kosongkan bila klien baru dirujuk.")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status baru"), choices=EnrolmentStatus.choices)
    on = forms.DateField(label=gettext_lazy("Tanggal"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("Alasan"), max_length=200, required=False)
    row_version = forms.IntegerField(widget=forms.HiddenInput)


class ScheduleForm(forms.ModelForm):
    """A date on the programme's schedule, or the same weekday and time for several weeks running."""

    weeks = forms.IntegerField(label=gettext_lazy("Jumlah minggu berturut-turut"), min_value=1, max_value=MAX_SCHEDULE_WEEKS,
                               initial=1, help_text=gettext_lazy("1 untuk satu tanggal; misalnya 8 untuk setiap minggu selama 8 minggu."))

    class Meta:
        model = PlannedSession
        fields = ["date", "starts_at", "place", "topic"]
        widgets = {"date": DATE, "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < timezone.localdate():
            raise forms.ValidationError(_("Jadwal tidak boleh untuk tanggal yang sudah lewat."))
        return date


class SessionForm(forms.ModelForm):
    class Meta:
        model = ProgrammeSession
        fields = ["date", "duration_hours", "topic", "facilitator", "notes"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 2}),
                   "duration_hours": forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "12"})}

    def __init__(self, *args, programme=None, day: datetime.date | None = None, topic: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["date"].initial = day or timezone.localdate()
        self.fields["topic"].initial = topic
        if programme is not None:
            self.fields["facilitator"].initial = str(programme.facilitator_officer or programme.facilitator_partner or "")

    def clean_duration_hours(self):
        hours = self.cleaned_data["duration_hours"]
        if hours < 0 or hours > 12:
            raise forms.ValidationError(_("Durasi sesi 0 sampai 12 jam."))
        return hours


class SessionCorrectForm(VersionedForm, SessionForm):
    """Corrects a logged session (date, hours, topic) and its attendance marks, with a reason."""

    reason = forms.CharField(label=gettext_lazy("Alasan koreksi"), max_length=200,
                             help_text=gettext_lazy("Misalnya: salah tanggal, durasi salah, peserta salah ditandai."))


NOT_RECORDED = "none"  # the value of a participant's "Tidak dicatat" button


def attendance_from_post(data, enrolments, *, removable: bool = False) -> tuple[dict[int, str | None], list[str]]:
    """Reads att-<enrolment id> for every participant; every one must be marked. Where a mark is
    `removable` (a participant a correction finds recorded), "Tidak dicatat" counts as a choice and
    reads as None: take the mark off."""
    attendance, missing = {}, []
    for enrolment in enrolments:
        status = data.get(f"att-{enrolment.pk}", "")
        if status in AttendanceStatus.values:
            attendance[enrolment.pk] = status
        elif removable and status == NOT_RECORDED:
            attendance[enrolment.pk] = None
        else:
            missing.append(enrolment.supervision.client.full_name)
    return attendance, missing


class ServiceDayForm(forms.ModelForm):
    class Meta:
        model = CommunityServiceDay
        fields = ["date", "hours", "place", "site_supervisor", "activity"]
        widgets = {"date": DATE, "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "8"})}

    def __init__(self, *args, supervision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.supervision = supervision
        self.fields["date"].initial = timezone.localdate()


class ServiceDayCorrectForm(VersionedForm):
    """Corrects a logged work day; the reason is required and shown beside it."""

    reason = forms.CharField(label=gettext_lazy("Alasan koreksi"), max_length=200,
                             help_text=gettext_lazy("Misalnya: salah tanggal, jam kerja salah dihitung."))

    class Meta:
        model = CommunityServiceDay
        fields = ServiceDayForm.Meta.fields
        widgets = ServiceDayForm.Meta.widgets


class _FollowUpOutcomeForm(forms.Form):
    """What a follow-up records: when, how, and (once the client is reached) their situation."""

    on = forms.DateField(label=gettext_lazy("Tanggal"), widget=DATE)
    method = forms.ChoiceField(label=gettext_lazy("Cara"), choices=FollowUpMethod.choices)
    employment = forms.ChoiceField(label=gettext_lazy("Pekerjaan"), choices=Situation.choices, required=False)
    housing = forms.ChoiceField(label=gettext_lazy("Tempat tinggal"), choices=Situation.choices, required=False)
    family = forms.ChoiceField(label=gettext_lazy("Hubungan keluarga"), choices=Situation.choices, required=False)
    substance_use = forms.ChoiceField(label=gettext_lazy("Penggunaan napza/alkohol"), choices=Situation.choices, required=False)
    row_version = forms.IntegerField(widget=forms.HiddenInput)


class FollowUpForm(_FollowUpOutcomeForm):
    reached = forms.TypedChoiceField(
        label=gettext_lazy("Klien/informasi berhasil dihubungi?"), choices=[("1", gettext_lazy("Ya")), ("0", gettext_lazy("Tidak"))],
        coerce=lambda value: value == "1", widget=forms.RadioSelect,
    )
    new_offence = forms.BooleanField(label=gettext_lazy("Ada tindak pidana baru"), required=False)
    event_kind = forms.ChoiceField(label=gettext_lazy("Jenis peristiwa"), choices=[("", "—"), *RecidivismKind.choices], required=False)
    event_date = forms.DateField(label=gettext_lazy("Tanggal peristiwa"), widget=DATE, required=False)
    event_source = forms.CharField(label=gettext_lazy("Sumber informasi"), max_length=100, required=False)
    notes = forms.CharField(label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["on", "method", "reached", *SITUATION_FIELDS, "new_offence", "event_kind", "event_date", "event_source", "notes"]

    def clean(self):
        data = super().clean()
        if data.get("reached"):
            missing = [name for name in SITUATION_FIELDS if not data.get(name)]
            for name in missing:
                self.add_error(name, _("Isi hasil tindak lanjut."))
            if data.get("new_offence"):
                # A new offence learned here becomes a recidivism event on the client's record.
                for name in ("event_kind", "event_date", "event_source"):
                    if not data.get(name):
                        self.add_error(name, _("Isi data peristiwa tindak pidana baru."))
        return data


class FollowUpCorrectForm(_FollowUpOutcomeForm):
    """Corrects what a done follow-up recorded (its date, how, and the client's situation), with a reason."""

    reason = forms.CharField(label=gettext_lazy("Alasan koreksi"), max_length=200,
                             help_text=gettext_lazy("Misalnya: salah pilih hasil, salah tanggal."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SITUATION_FIELDS:  # a done follow-up reached the client: each was recorded
            self.fields[name].required = True


class FollowUpPlanForm(FingerprintedForm):
    months = forms.CharField(label=gettext_lazy("Bulan setelah program atau pembimbingan berakhir"), max_length=100,
                             help_text=gettext_lazy("Pisahkan dengan koma, mis. 3, 6, 12, 24."))

    class Meta:
        model = FollowUpPlan
        fields = ["months"]

    def clean_months(self):
        try:
            months = sorted({int(part) for part in self.cleaned_data["months"].replace(" ", "").split(",") if part})
        except ValueError as error:
            raise forms.ValidationError(_("Hanya angka bulan, dipisahkan koma.")) from error
        if not months or months[0] < 1 or months[-1] > 120:
            raise forms.ValidationError(_("Isi 1 sampai 120 bulan."))
        return months
