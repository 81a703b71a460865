"""Instruments as versioned data, assessments scored from them, the office's intensity policy."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bapas.models import Office
from clients.models import Client, Supervision

from .definitions import content_hash as definition_hash

LEVELS = ["Rendah", "Sedang", "Tinggi", "Sangat Tinggi"]


class Instrument(models.Model):
    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)

    class Meta:
        verbose_name = _("instrumen")
        verbose_name_plural = _("instrumen")
        ordering = ["code"]

    def __str__(self):
        return self.code


class InstrumentVersion(models.Model):
    """One version of an instrument's definition. Frozen once an assessment uses it."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(_("versi"), max_length=20)
    name = models.CharField(_("nama"), max_length=200)
    definition = models.JSONField()
    content_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_file = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("versi instrumen")
        verbose_name_plural = _("versi instrumen")
        ordering = ["instrument__code", "-version"]
        constraints = [models.UniqueConstraint(fields=["instrument", "version"], name="instrument_version_unique")]

    def __str__(self):
        return f"{self.instrument.code} {self.version}"

    def is_used(self) -> bool:
        return self.pk is not None and self.assessments.exists()

    def save(self, *args, **kwargs):
        # The hash always follows the definition, so an edit that forgets it (admin, shell) can
        # neither slip past the guard below nor make a later load report "unchanged".
        self.content_hash = definition_hash(self.definition)
        if self.pk is not None and self.is_used():
            stored = InstrumentVersion.objects.filter(pk=self.pk).values_list("content_hash", flat=True).first()
            if stored != self.content_hash:
                raise ValidationError(_("Versi instrumen yang sudah dipakai asesmen tidak dapat diubah."))
        super().save(*args, **kwargs)


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", _("Asesmen awal")
    REASSESSMENT = "reassessment", _("Asesmen ulang")
    EVENT = "event", _("Asesmen karena peristiwa")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class OverrideStatus(models.TextChoices):
    NONE = "", _("Tanpa penyesuaian")
    PENDING = "pending", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


RESPONSIVITY_FACTORS = [
    ("literacy", _("Kemampuan baca-tulis terbatas")),
    ("language", _("Hambatan bahasa")),
    ("mental_health", _("Kesehatan jiwa")),
    ("disability", _("Disabilitas")),
    ("motivation", _("Motivasi rendah")),
    ("gender", _("Kebutuhan khusus gender")),
    ("transport", _("Hambatan transportasi")),
    ("childcare", _("Pengasuhan anak")),
]


class Assessment(models.Model):
    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="assessments")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(_("jenis asesmen"), max_length=20, choices=AssessmentKind.choices, default=AssessmentKind.INITIAL)
    status = models.CharField(_("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    assessed_on = models.DateField(_("tanggal asesmen"))
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # item code → {"option": code, "note": text} for scored items, {"checked": bool, "note": text} for checklists
    answers = models.JSONField(default=dict, blank=True)
    responsivity = models.JSONField(_("responsivitas"), default=list, blank=True)
    responsivity_notes = models.TextField(_("catatan responsivitas"), blank=True)
    # The engine's result, stored at finalisation so lists need not rescore.
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    computed_level = models.CharField(_("tingkat hasil hitung"), max_length=20, blank=True)
    domain_scores = models.JSONField(default=dict, blank=True)
    flags = models.JSONField(default=list, blank=True)
    final_level = models.CharField(_("tingkat akhir"), max_length=20, blank=True)
    override_level = models.CharField(_("tingkat penyesuaian"), max_length=20, blank=True)
    override_reason = models.TextField(_("alasan penyesuaian"), blank=True)
    override_status = models.CharField(max_length=10, choices=OverrideStatus.choices, blank=True, default="")
    override_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_decided_at = models.DateTimeField(null=True, blank=True)
    corrects = models.ForeignKey(
        "self", verbose_name=_("mengoreksi"), on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("asesmen")
        verbose_name_plural = _("asesmen")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["supervision", "status", "-assessed_on"])]

    def __str__(self):
        return f"{self.version} · {self.assessed_on}"

    @property
    def is_final(self):
        return self.status == AssessmentStatus.FINAL

    @property
    def definition(self) -> dict:
        return self.version.definition

    def responsivity_labels(self) -> list[str]:
        labels = dict(RESPONSIVITY_FACTORS)
        return [str(labels.get(code, code)) for code in self.responsivity]


class IntensityPolicy(models.Model):
    """Supervision intensity by risk level for one office. Each edit is a new row (a version);
    the newest applies, the old ones stay for the record."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="intensity_policies")
    number = models.PositiveIntegerField(_("nomor versi"), default=1)
    # level → {"contacts_per_month", "home_visits_per_quarter", "reassessment_months", "programme_hours"}
    rules = models.JSONField()
    provisional_contacts_per_month = models.PositiveSmallIntegerField(_("kontak per bulan sebelum asesmen pertama"), default=1)
    first_assessment_days = models.PositiveSmallIntegerField(_("asesmen pertama paling lambat (hari setelah mulai)"), default=30)
    # RNR reassesses on events as well as on the clock: a violation, or a new stage, brings it forward.
    event_reassessment_days = models.PositiveSmallIntegerField(
        _("asesmen ulang setelah pelanggaran atau pergantian tahap (hari)"), default=14)
    # The PK hears of clients still short of the quarter's home visits this many days before it ends.
    home_visit_notice_days = models.PositiveSmallIntegerField(
        _("pengingat kunjungan rumah (hari sebelum akhir triwulan)"), default=30)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("kebijakan intensitas")
        verbose_name_plural = _("kebijakan intensitas")
        ordering = ["office", "-number"]
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="intensity_policy_number_unique")]

    def __str__(self):
        return f"{self.office.code} v{self.number}"

    def rule_for(self, level: str) -> dict:
        return self.rules[level]


class CasePlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Menunggu sidang TPP")
    APPROVED = "approved", _("Disetujui TPP")


class CasePlan(models.Model):
    """Rencana bimbingan: goals tied to assessed needs, approved at a sidang TPP."""

    supervision = models.OneToOneField(Supervision, on_delete=models.PROTECT, related_name="case_plan")
    status = models.CharField(_("status"), max_length=10, choices=CasePlanStatus.choices, default=CasePlanStatus.DRAFT)
    tpp_date = models.DateField(_("tanggal sidang TPP"), null=True, blank=True)
    tpp_number = models.CharField(_("nomor sidang TPP"), max_length=100, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rencana bimbingan")
        verbose_name_plural = _("rencana bimbingan")

    def __str__(self):
        return f"{_('Rencana bimbingan')} · {self.supervision}"


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    IN_PROGRESS = "in_progress", _("Berjalan")
    ACHIEVED = "achieved", _("Tercapai")
    DROPPED = "dropped", _("Dihentikan")


class CasePlanGoal(models.Model):
    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="goals")
    need_domain = models.CharField(_("domain kebutuhan"), max_length=100)
    goal = models.CharField(_("tujuan (SMART)"), max_length=300)
    actions = models.TextField(_("tindakan"), blank=True)
    target_date = models.DateField(_("target tanggal"))
    status = models.CharField(_("status"), max_length=15, choices=GoalStatus.choices, default=GoalStatus.PLANNED)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tujuan rencana bimbingan")
        verbose_name_plural = _("tujuan rencana bimbingan")
        ordering = ["target_date", "id"]

    def __str__(self):
        return self.goal


class LitmasKind(models.TextChoices):
    """What the social inquiry report is for."""

    PB = "pb", _("Integrasi: Pembebasan Bersyarat")
    CB = "cb", _("Integrasi: Cuti Bersyarat")
    CMB = "cmb", _("Integrasi: Cuti Menjelang Bebas")
    ASSIMILATION = "as", _("Asimilasi")
    GUIDANCE = "guidance", _("Pembimbingan")
    COURT = "court", _("Sidang pengadilan (pidana pengawasan / kerja sosial)")
    OTHER = "other", _("Lainnya")


class LitmasStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Menunggu sidang TPP")
    APPROVED = "approved", _("Disetujui TPP")
    CANCELLED = "cancelled", _("Dibatalkan")


# Someone's work still: being written, or awaiting the TPP.
LITMAS_OPEN = (LitmasStatus.DRAFT, LitmasStatus.SUBMITTED)
# Each status's badge colour wherever a Litmas's status shows.
LITMAS_BADGES = {LitmasStatus.DRAFT: "text-bg-secondary", LitmasStatus.SUBMITTED: "text-bg-warning",
                 LitmasStatus.APPROVED: "text-bg-success", LitmasStatus.CANCELLED: "text-bg-dark"}


# The outline of a Litmas, in the order it is written and printed: (field, must be written before
# the report goes to the TPP).
LITMAS_SECTIONS = (
    ("client_history", True),
    ("family", True),
    ("socio_economic", False),
    ("guarantor_notes", False),
    ("offence", True),
    ("family_response", False),
    ("victim_response", False),
    ("community_response", False),
    ("conclusion", True),
    ("recommendation", True),
)


class Litmas(models.Model):
    """Penelitian Kemasyarakatan: the PK's social inquiry report, numbered in the office's register,
    written by one PK, approved at a sidang TPP. Requested for a client of the office (an integration
    Litmas comes before the supervision it leads to, so the supervision is optional)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, verbose_name=_("klien"), on_delete=models.PROTECT, related_name="litmas")
    supervision = models.ForeignKey(Supervision, verbose_name=_("pembimbingan"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="litmas")
    kind = models.CharField(_("jenis Litmas"), max_length=10, choices=LitmasKind.choices)
    year = models.PositiveSmallIntegerField(_("tahun register"))
    number = models.PositiveIntegerField(_("nomor urut register"))
    register_number = models.CharField(_("nomor register"), max_length=60)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("PK penyusun"), on_delete=models.PROTECT,
                                related_name="litmas")
    requested_by = models.CharField(_("instansi peminta"), max_length=200,
                                    help_text=_("mis. Lapas Kelas I Cipinang, Pengadilan Negeri Bandung"))
    request_letter = models.CharField(_("nomor surat permintaan"), max_length=100, blank=True)
    requested_on = models.DateField(_("tanggal permintaan"))
    due_on = models.DateField(_("batas waktu penyelesaian"))
    status = models.CharField(_("status"), max_length=10, choices=LitmasStatus.choices, default=LitmasStatus.DRAFT)
    # The outline (DOMAIN.md): the PK writes each part.
    client_history = models.TextField(_("riwayat hidup klien"), blank=True)
    family = models.TextField(_("keadaan keluarga"), blank=True)
    socio_economic = models.TextField(_("kondisi sosial ekonomi"), blank=True)
    guarantor_notes = models.TextField(_("penjamin"), blank=True)
    offence = models.TextField(_("latar belakang dan kronologi tindak pidana"), blank=True)
    family_response = models.TextField(_("tanggapan keluarga"), blank=True)
    victim_response = models.TextField(_("tanggapan korban"), blank=True)
    community_response = models.TextField(_("tanggapan masyarakat / pemerintah setempat"), blank=True)
    conclusion = models.TextField(_("kesimpulan"), blank=True)
    recommendation = models.TextField(_("rekomendasi"), blank=True)
    # The client's assessment results as they stood when the report went to the TPP, so the printed
    # report keeps saying what the panel read after a reassessment.
    assessment_summary = models.JSONField(default=list, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    tpp_date = models.DateField(_("tanggal sidang TPP"), null=True, blank=True)
    tpp_number = models.CharField(_("nomor sidang TPP"), max_length=100, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)  # the TPP's last decision, or the cancellation
    return_note = models.TextField(_("catatan sidang TPP"), blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=200, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Litmas")
        verbose_name_plural = _("Litmas")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "number"], name="litmas_register_unique"),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("requested_on")), name="litmas_due_after_request",
                violation_error_message=_("Batas waktu harus sama dengan atau sesudah tanggal permintaan.")),
        ]
        indexes = [
            models.Index(fields=["officer", "status", "due_on"], name="litmas_officer_status_due"),
            models.Index(fields=["office", "status", "due_on"], name="litmas_office_status_due"),
        ]

    def __str__(self):
        return f"Litmas {self.register_number}"

    @property
    def is_open(self) -> bool:
        return self.status in LITMAS_OPEN

    @property
    def status_badge(self) -> str:
        return LITMAS_BADGES[self.status]
