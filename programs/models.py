"""Partners, guidance programmes, enrolments, sessions and attendance."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import CasePlanGoal
from bapas.models import Office
from clients.models import RecidivismEvent, Supervision

MAX_SESSION_HOURS = Decimal("12")


class PartnerKind(models.TextChoices):
    GRIYA_ABHIPRAYA = "griya_abhipraya", _("Griya Abhipraya")
    POKMAS_LIPAS = "pokmas_lipas", _("Pokmas Lipas")
    BLK = "blk", _("BLK (balai latihan kerja)")
    DINSOS = "dinsos", _("Dinas Sosial")
    DISNAKER = "disnaker", _("Dinas Tenaga Kerja")
    BNN = "bnn", _("BNN")
    RELIGIOUS = "religious", _("Lembaga keagamaan")
    EMPLOYER = "employer", _("Pemberi kerja")
    OTHER = "other", _("Lainnya")


class Partner(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="partners")
    name = models.CharField(_("nama mitra"), max_length=200)
    kind = models.CharField(_("jenis mitra"), max_length=20, choices=PartnerKind.choices)
    contact_person = models.CharField(_("narahubung"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    agreement_number = models.CharField(_("nomor perjanjian kerja sama (MoU)"), max_length=100, blank=True)
    agreement_start = models.DateField(_("berlaku mulai"), null=True, blank=True)
    agreement_end = models.DateField(_("berlaku sampai"), null=True, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(agreement_end__isnull=True) | Q(agreement_start__isnull=True)
                           | Q(agreement_end__gte=models.F("agreement_start"))),
                name="partner_agreement_dates_in_order",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.agreement_start and self.agreement_end and self.agreement_end < self.agreement_start:
            raise ValidationError({"agreement_end": _("Tanggal berakhir perjanjian harus sesudah tanggal mulai.")})


class ProgrammeType(models.TextChoices):
    COUNSELLING = "konseling", _("Konseling")
    SKILLS = "keterampilan", _("Pelatihan keterampilan")
    FAMILY_MEDIATION = "mediasi_keluarga", _("Mediasi keluarga")
    RELIGIOUS = "kepribadian_agama", _("Bimbingan kepribadian — agama")
    LEGAL_AWARENESS = "kepribadian_hukum", _("Bimbingan kepribadian — kesadaran hukum")
    HEALTH = "kepribadian_kesehatan", _("Bimbingan kepribadian — kesehatan")
    WORK = "kemandirian_kerja", _("Bimbingan kemandirian — kerja")
    BUSINESS = "kemandirian_usaha", _("Bimbingan kemandirian — usaha")
    DRUG_REHAB = "rehabilitasi_napza", _("Rehabilitasi napza")
    OTHER = "other", _("Lainnya")


class Delivery(models.TextChoices):
    GROUP = "group", _("Kelompok")
    INDIVIDUAL = "individual", _("Individu")


class Programme(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("nama program"), max_length=200)
    programme_type = models.CharField(_("jenis program"), max_length=30, choices=ProgrammeType.choices)
    delivery = models.CharField(_("bentuk"), max_length=10, choices=Delivery.choices, default=Delivery.GROUP)
    facilitator_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("fasilitator (petugas)"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="facilitated_programmes",
    )
    facilitator_partner = models.ForeignKey(
        Partner, verbose_name=_("fasilitator (mitra)"), on_delete=models.PROTECT, null=True, blank=True, related_name="programmes"
    )
    need_domains = models.JSONField(_("domain kebutuhan yang ditangani"), default=list, blank=True)
    planned_sessions = models.PositiveSmallIntegerField(_("rencana jumlah sesi"), default=1)
    planned_hours = models.DecimalField(_("rencana jumlah jam"), max_digits=6, decimal_places=1, default=Decimal("0"))
    capacity = models.PositiveSmallIntegerField(_("kapasitas peserta"), null=True, blank=True)
    description = models.TextField(_("uraian"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program bimbingan")
        verbose_name_plural = _("program bimbingan")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.facilitator_officer_id and not self.facilitator_partner_id:
            raise ValidationError(_("Pilih fasilitator: petugas atau mitra."))


class EnrolmentStatus(models.TextChoices):
    REFERRED = "referred", _("Dirujuk")
    ACTIVE = "active", _("Aktif")
    COMPLETED = "completed", _("Selesai")
    DROPPED = "dropped", _("Berhenti (drop out)")
    CANCELLED = "cancelled", _("Dibatalkan")


OPEN_STATUSES = [EnrolmentStatus.REFERRED, EnrolmentStatus.ACTIVE]


class Enrolment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="enrolments")
    # The case-plan goal this enrolment serves, when it was made from the plan.
    goal = models.ForeignKey(
        CasePlanGoal, verbose_name=_("tujuan rencana bimbingan"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="enrolments",
    )
    referral_date = models.DateField(_("tanggal rujukan"))
    start_date = models.DateField(_("tanggal mulai"), null=True, blank=True)
    planned_end = models.DateField(_("rencana selesai"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.REFERRED)
    status_reason = models.CharField(_("alasan"), max_length=200, blank=True)
    ended_on = models.DateField(_("tanggal berakhir"), null=True, blank=True)
    # Sum of the durations of sessions attended, kept by the session service.
    hours_attended = models.DecimalField(_("jam hadir"), max_digits=7, decimal_places=1, default=Decimal("0"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    row_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keikutsertaan program")
        verbose_name_plural = _("keikutsertaan program")
        ordering = ["-referral_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "supervision"], condition=Q(status__in=["referred", "active"]),
                name="one_open_enrolment_per_programme",
            ),
        ]

    def __str__(self):
        return f"{self.programme} · {self.supervision.client}"

    def clean(self):
        today = timezone.localdate()
        errors = {}
        if self.referral_date and self.referral_date > today:
            errors["referral_date"] = [_("Tanggal rujukan tidak boleh di masa depan.")]
        if self.start_date and self.planned_end and self.planned_end < self.start_date:
            errors["planned_end"] = [_("Rencana selesai harus sesudah tanggal mulai.")]
        if self.start_date and self.referral_date and self.start_date < self.referral_date:
            errors["start_date"] = [_("Tanggal mulai tidak boleh sebelum tanggal rujukan.")]
        if errors:
            raise ValidationError(errors)


class PlannedSession(models.Model):
    """A date on a programme's schedule, so the PKs can tell their clients when to come. What took place
    is logged as a ProgrammeSession afterwards. A planned date that has passed leaves the dates ahead;
    until its session is logged, or it is taken off as not held, it is asked after for a while
    (selectors.unlogged_planned)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="schedule")
    date = models.DateField(_("tanggal"))
    starts_at = models.TimeField(_("jam mulai"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    topic = models.CharField(_("topik"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jadwal sesi")
        verbose_name_plural = _("jadwal sesi")
        ordering = ["date", "starts_at", "id"]
        indexes = [models.Index(fields=["programme", "date"])]

    def __str__(self):
        return f"{self.programme} {self.date}"


class ProgrammeSession(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField(_("tanggal"))
    duration_hours = models.DecimalField(
        _("durasi (jam)"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_SESSION_HOURS)],
    )
    topic = models.CharField(_("topik"), max_length=200)
    facilitator = models.CharField(_("fasilitator"), max_length=200)
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A logged session is corrected, and the audit entry of each correction keeps what changed; one logged
    # by mistake (wrong programme, never took place) is deleted, its audit entry keeping it all and the reason.
    correction_reason = models.CharField(_("alasan koreksi"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("sesi program")
        verbose_name_plural = _("sesi program")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["programme", "-date"])]
        constraints = [
            models.CheckConstraint(condition=Q(duration_hours__gte=0) & Q(duration_hours__lte=12), name="session_duration_0_to_12_hours"),
        ]

    def __str__(self):
        return f"{self.programme} {self.date}"

    def clean(self):
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Tanggal sesi tidak boleh di masa depan.")})


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Hadir")
    ABSENT = "absent", _("Tidak hadir")
    EXCUSED = "excused", _("Izin")


class Attendance(models.Model):
    session = models.ForeignKey(ProgrammeSession, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("kehadiran"), max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once_per_session")]
        indexes = [models.Index(fields=["enrolment", "status"])]

    def __str__(self):
        return f"{self.session} {self.get_status_display()}"


MAX_SERVICE_HOURS_PER_DAY = Decimal("8")  # KUHP 2023 Pasal 85
SERVICE_WINDOW_MONTHS = 6


class CommunityServiceDay(models.Model):
    """A day of pidana kerja sosial worked by a client (PKS supervisions only)."""

    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="service_days")
    date = models.DateField(_("tanggal"))
    hours = models.DecimalField(
        _("jam kerja"), max_digits=3, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_SERVICE_HOURS_PER_DAY)],
    )
    place = models.CharField(_("tempat"), max_length=200)
    site_supervisor = models.CharField(_("pengawas di tempat"), max_length=150)
    activity = models.CharField(_("kegiatan"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    correction_reason = models.CharField(_("alasan koreksi"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hari kerja sosial")
        verbose_name_plural = _("hari kerja sosial")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["supervision", "date"])]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=8), name="service_day_hours_up_to_8")]

    def __str__(self):
        return f"{self.date} {self.hours}"


DEFAULT_FOLLOW_UP_MONTHS = [3, 6, 12, 24]


class FollowUpPlan(models.Model):
    """An office's follow-up offsets, in months after a programme or a supervision ends."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="follow_up_plan")
    months = models.JSONField(_("bulan setelah berakhir"), default=list)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jadwal tindak lanjut")
        verbose_name_plural = _("jadwal tindak lanjut")

    def __str__(self):
        return f"{self.office.code}: {self.months}"


class FollowUpAnchor(models.TextChoices):
    PROGRAMME_END = "programme_end", _("Setelah program berakhir")
    SUPERVISION_END = "supervision_end", _("Setelah pembimbingan berakhir")


class FollowUpMethod(models.TextChoices):
    VISIT = "visit", _("Kunjungan")
    PHONE = "phone", _("Telepon")
    PARTNER = "partner", _("Laporan mitra")
    RECORDS = "records", _("Pemeriksaan catatan")


class Situation(models.TextChoices):
    GOOD = "good", _("Baik")
    FAIR = "fair", _("Cukup")
    POOR = "poor", _("Buruk")
    UNKNOWN = "unknown", _("Tidak diketahui")


# What a follow-up that reached the client records about their situation (the outcome figures count these).
SITUATION_FIELDS = ("employment", "housing", "family", "substance_use")


class FollowUp(models.Model):
    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="follow_ups")
    # The supervision's office, copied when the follow-up is scheduled: office dashboards count open
    # follow-ups by office from their own index instead of joining every open follow-up in the country.
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups")
    anchor = models.CharField(_("dasar"), max_length=20, choices=FollowUpAnchor.choices)
    offset_months = models.PositiveSmallIntegerField(_("bulan ke"))
    due_date = models.DateField(_("jatuh tempo"), db_index=True)
    done_on = models.DateField(_("tanggal dilakukan"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("jumlah upaya"), default=0)
    last_attempt_on = models.DateField(_("upaya terakhir"), null=True, blank=True)
    method = models.CharField(_("cara"), max_length=10, choices=FollowUpMethod.choices, blank=True)
    employment = models.CharField(_("pekerjaan"), max_length=10, choices=Situation.choices, blank=True)
    housing = models.CharField(_("tempat tinggal"), max_length=10, choices=Situation.choices, blank=True)
    family = models.CharField(_("hubungan keluarga"), max_length=10, choices=Situation.choices, blank=True)
    substance_use = models.CharField(_("penggunaan napza/alkohol"), max_length=10, choices=Situation.choices, blank=True)
    new_offence = models.BooleanField(_("ada tindak pidana baru"), default=False)
    # The event lives with the client (clients app); the follow-up that learned of it points to it.
    recidivism_event = models.ForeignKey(
        RecidivismEvent, verbose_name=_("peristiwa residivisme"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="follow_ups",
    )
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    row_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "offset_months"], condition=Q(anchor="programme_end"),
                                    name="one_follow_up_per_enrolment_offset"),
            models.UniqueConstraint(fields=["supervision", "offset_months"], condition=Q(anchor="supervision_end"),
                                    name="one_follow_up_per_supervision_offset"),
        ]
        indexes = [
            models.Index(fields=["supervision", "done_on"]),
            models.Index(fields=["office", "due_date"], condition=Q(done_on__isnull=True), name="follow_up_open_by_office"),
        ]

    def __str__(self):
        return f"{self.get_anchor_display()} +{self.offset_months} {self.due_date}"

    def save(self, *args, **kwargs):
        if self.office_id is None:
            self.office_id = self.supervision.office_id
        super().save(*args, **kwargs)

    @property
    def is_done(self):
        return self.done_on is not None
