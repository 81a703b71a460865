"""Clients, their supervisions, the officers' contact log, violations and documents."""

import datetime
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bapas.models import Office

from .validators import validate_nik

ADULT_AGE = 18
PKS_MIN_HOURS, PKS_MAX_HOURS = 8, 240  # KUHP 2023 Pasal 85
PWS_MAX_YEARS = 3  # KUHP 2023 Pasal 75


def _today():
    return timezone.localdate()  # in the office's zone, activated per request


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Religion(models.TextChoices):
    # The list printed on the KTP, including Kepercayaan (MK decision 97/PUU-XIV/2016).
    ISLAM = "islam", _("Islam")
    KRISTEN = "kristen", _("Kristen")
    KATOLIK = "katolik", _("Katolik")
    HINDU = "hindu", _("Hindu")
    BUDDHA = "buddha", _("Buddha")
    KHONGHUCU = "khonghucu", _("Khonghucu")
    KEPERCAYAAN = "kepercayaan", _("Kepercayaan terhadap Tuhan YME")


class Education(models.TextChoices):
    NONE = "none", _("Tidak/belum sekolah")
    SD = "sd", _("SD/sederajat")
    SMP = "smp", _("SMP/sederajat")
    SMA = "sma", _("SMA/SMK/sederajat")
    D3 = "d3", _("Diploma")
    S1 = "s1", _("S1")
    S2 = "s2", _("S2/S3")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Belum kawin")
    MARRIED = "married", _("Kawin")
    DIVORCED = "divorced", _("Cerai hidup")
    WIDOWED = "widowed", _("Cerai mati")


class OffenceCategory(models.Model):
    """An office's editable list of offence categories (narkotika, pencurian, …)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="offence_categories")
    name = models.CharField(_("nama"), max_length=100)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kategori tindak pidana")
        verbose_name_plural = _("kategori tindak pidana")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="offence_category_unique_per_office")]

    def __str__(self):
        return self.name


class StageRule(models.Model):
    """Where tahap awal ends and tahap akhir starts, as a share of the supervision period."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="stage_rule")
    middle_from_percent = models.PositiveSmallIntegerField(_("tahap lanjutan mulai (% masa)"), default=33)
    final_from_percent = models.PositiveSmallIntegerField(_("tahap akhir mulai (% masa)"), default=67)

    class Meta:
        verbose_name = _("aturan tahap")
        verbose_name_plural = _("aturan tahap")
        constraints = [
            models.CheckConstraint(
                condition=Q(middle_from_percent__gt=0)
                & Q(middle_from_percent__lt=models.F("final_from_percent"))
                & Q(final_from_percent__lt=100),
                name="stage_rule_shares_in_order",
            )
        ]

    def __str__(self):
        return f"{self.office}: {self.middle_from_percent}% / {self.final_from_percent}%"

    def boundaries(self, start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
        days = (end - start).days
        return (
            start + datetime.timedelta(days=days * self.middle_from_percent // 100),
            start + datetime.timedelta(days=days * self.final_from_percent // 100),
        )


class Client(models.Model):
    """A person under pembimbingan kemasyarakatan. One record nationally (NIK unique)."""

    office = models.ForeignKey(Office, verbose_name=_("kantor"), on_delete=models.PROTECT, related_name="clients")
    register_number = models.CharField(_("nomor register klien"), max_length=50)
    full_name = models.CharField(_("nama lengkap"), max_length=200, help_text=_("Satu kolom; banyak orang hanya punya satu nama."))
    aliases = models.CharField(_("alias"), max_length=200, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, unique=True)
    passport_number = models.CharField(_("nomor paspor"), max_length=30, blank=True)
    nationality = models.CharField(_("kewarganegaraan"), max_length=60, default="Indonesia")
    birth_place = models.CharField(_("tempat lahir"), max_length=100)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    religion = models.CharField(_("agama"), max_length=20, choices=Religion.choices)
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices, blank=True)
    marital_status = models.CharField(_("status perkawinan"), max_length=10, choices=MaritalStatus.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    address = models.CharField(_("alamat"), max_length=300)
    rt = models.CharField(_("RT"), max_length=5, blank=True)
    rw = models.CharField(_("RW"), max_length=5, blank=True)
    kelurahan = models.CharField(_("kelurahan/desa"), max_length=100, blank=True)
    kecamatan = models.CharField(_("kecamatan"), max_length=100, blank=True)
    kabupaten_kota = models.CharField(_("kabupaten/kota"), max_length=100, blank=True)
    provinsi = models.CharField(_("provinsi"), max_length=100, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=30, blank=True)
    origin_institution = models.CharField(_("asal Lapas/Rutan"), max_length=150, blank=True)
    sdp_id = models.CharField(_("ID SDP"), max_length=50, blank=True)
    guarantor_name = models.CharField(_("nama penjamin"), max_length=200, blank=True)
    guarantor_relation = models.CharField(_("hubungan penjamin"), max_length=100, blank=True)
    guarantor_phone = models.CharField(_("telepon penjamin"), max_length=30, blank=True)
    guarantor_address = models.CharField(_("alamat penjamin"), max_length=300, blank=True)
    # Optimistic locking: a save must name the version it was edited from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("klien")
        verbose_name_plural = _("klien")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "register_number"], name="client_register_number_unique_per_office"),
            models.CheckConstraint(
                condition=Q(nik__isnull=False) | ~Q(passport_number=""), name="client_has_nik_or_passport"
            ),
        ]
        indexes = [models.Index(fields=["office", "full_name"])]

    def __str__(self):
        return self.full_name

    def clean(self):
        errors = {}
        if self.nik:
            try:
                validate_nik(self.nik)
            except ValidationError as error:
                errors["nik"] = error.messages
        elif not self.passport_number:
            errors["nik"] = [_("Isi NIK, atau nomor paspor dan kewarganegaraan untuk warga negara asing.")]
        elif self.nationality.strip().lower() == "indonesia":
            errors["nationality"] = [_("Warga negara Indonesia wajib memiliki NIK.")]
        if self.birth_date and self.birth_date > _today():
            errors["birth_date"] = [_("Tanggal lahir tidak boleh di masa depan.")]
        if errors:
            raise ValidationError(errors)

    @property
    def masked_nik(self):
        return f"{self.nik[:4]}{'*' * 8}{self.nik[-4:]}" if self.nik else ""

    def nik_for(self, user):
        return self.nik if user.sees_full_nik else self.masked_nik

    def age_on(self, day: datetime.date) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class LegalBasis(models.TextChoices):
    PB = "PB", _("PB — Pembebasan Bersyarat")
    CB = "CB", _("CB — Cuti Bersyarat")
    CMB = "CMB", _("CMB — Cuti Menjelang Bebas")
    AS = "AS", _("AS — Asimilasi")
    PBS = "PBS", _("PBS — Pidana Bersyarat")
    PWS = "PWS", _("PWS — Pidana Pengawasan")
    PKS = "PKS", _("PKS — Pidana Kerja Sosial")


# Sentences a court gave (not releases the Ditjenpas granted): a breach goes to the jaksa, who asks
# the judge; the Bapas neither suspends nor revokes them itself (DOMAIN.md, legal bases).
COURT_SENTENCES = (LegalBasis.PBS, LegalBasis.PWS, LegalBasis.PKS)


def counted_from(start_date: datetime.date, resumed_on: datetime.date | None) -> datetime.date:
    """The day a supervision's contacts and wajib lapor are counted from: its start, or the day a
    suspension was lifted or the supervision reopened (Supervision.schedule_start; the wajib-lapor rule
    reads the two columns)."""
    return max(start_date, resumed_on or start_date)


class Stage(models.TextChoices):
    EARLY = "awal", _("Tahap awal")
    MIDDLE = "lanjutan", _("Tahap lanjutan")
    FINAL = "akhir", _("Tahap akhir")


class ReportingFrequency(models.IntegerChoices):
    WEEKLY = 7, _("Mingguan")
    FORTNIGHTLY = 14, _("Dua mingguan")
    MONTHLY = 30, _("Bulanan")


class ClosureReason(models.TextChoices):
    COMPLETED = "completed", _("Selesai (masa bimbingan berakhir)")
    REVOKED = "revoked", _("Dicabut")
    TRANSFERRED = "transferred", _("Dipindahkan ke Bapas lain")
    DIED = "died", _("Meninggal dunia")


# Closures that end no guidance to learn from: moved to another Bapas (guidance goes on there), or
# death. No follow-ups are scheduled after them, and the recidivism cohort takes no index date from them.
NO_OUTCOME_CLOSURES = (ClosureReason.TRANSFERRED, ClosureReason.DIED)


class SupervisionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(closed_on__isnull=True)

    def in_stage(self, stage: str, today: datetime.date):
        """Stage in SQL: an explicit TPP decision wins; otherwise the stored date boundaries decide."""
        by_dates = {
            Stage.EARLY: Q(middle_stage_from__gt=today),
            Stage.MIDDLE: Q(middle_stage_from__lte=today, final_stage_from__gt=today),
            Stage.FINAL: Q(final_stage_from__lte=today),
        }[stage]
        return self.filter(Q(stage_override=stage) | (Q(stage_override="") & by_dates))


class Supervision(models.Model):
    """One legal basis and period of supervision for a client."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="supervisions")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="supervisions")
    legal_basis = models.CharField(_("dasar hukum"), max_length=3, choices=LegalBasis.choices)
    decree_number = models.CharField(_("nomor SK/putusan"), max_length=100)
    decree_date = models.DateField(_("tanggal SK/putusan"))
    decree_issuer = models.CharField(_("penerbit SK / pengadilan"), max_length=200)
    offence_article = models.CharField(_("pasal"), max_length=200)
    offence_category = models.ForeignKey(
        OffenceCategory, verbose_name=_("kategori tindak pidana"), on_delete=models.PROTECT, related_name="+"
    )
    sentence = models.CharField(_("pidana/vonis"), max_length=100, help_text=_("mis. 2 tahun 6 bulan"))
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal berakhir (ekspirasi)"))
    general_conditions = models.TextField(_("syarat umum"), blank=True)
    special_conditions = models.TextField(_("syarat khusus"), blank=True)
    reporting_interval_days = models.PositiveSmallIntegerField(
        _("frekuensi wajib lapor"), choices=ReportingFrequency.choices, default=ReportingFrequency.MONTHLY
    )
    community_service_hours = models.PositiveSmallIntegerField(
        _("jam kerja sosial"), null=True, blank=True, help_text=_("Hanya untuk pidana kerja sosial (PKS): 8–240 jam.")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("PK"), on_delete=models.PROTECT, related_name="supervisions"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("didelegasikan kepada"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegated_supervisions",
    )
    delegated_until = models.DateField(_("delegasi sampai"), null=True, blank=True)
    # Stage: date boundaries from the office rule, unless a TPP hearing set it explicitly.
    middle_stage_from = models.DateField(editable=False)
    final_stage_from = models.DateField(editable=False)
    stage_override = models.CharField(_("tahap (keputusan TPP)"), max_length=10, choices=Stage.choices, blank=True)
    stage_override_note = models.CharField(_("dasar penetapan tahap"), max_length=200, blank=True)
    # The day of the sidang TPP that set the stage (the day it is recorded if left blank): a new stage
    # calls for a reassessment (assessments.policy).
    stage_override_on = models.DateField(_("tanggal sidang TPP penetapan tahap"), null=True, blank=True,
                                         help_text=_("Kosongkan untuk memakai tanggal hari ini."))
    # Facts the lists need, kept as columns by the services that own them.
    policy_interval_days = models.PositiveSmallIntegerField(_("interval kontak menurut kebijakan (hari)"), null=True, blank=True)
    contact_interval_days = models.PositiveSmallIntegerField(_("interval kontak (hari)"), default=30)
    last_contact_on = models.DateField(_("kontak terakhir"), null=True, blank=True)
    next_contact_due = models.DateField(_("kontak berikutnya"), null=True, blank=True, db_index=True)
    # Written by the assessments app: the current risk level and when the next assessment is due.
    risk_level = models.CharField(_("tingkat risiko"), max_length=20, blank=True)
    assessment_due = models.DateField(_("asesmen berikutnya"), null=True, blank=True)
    # The first day three missed wajib lapor in a row can exist, from the reports logged so far
    # (clients.reminders.reporting_check_from): the rule examines only supervisions whose day has
    # come, instead of every report of every client. Empty means not worked out: always examined.
    reporting_check_from = models.DateField(_("wajib lapor diperiksa mulai"), null=True, blank=True, editable=False)
    # Written by the revocation service: the release is suspended (the client back in custody) until the decision.
    suspended_on = models.DateField(_("dicabut sementara sejak"), null=True, blank=True, editable=False)
    # ... and the day a suspension was lifted (not revoked), or a supervision closed by mistake was
    # reopened: contacts and wajib lapor count again from then, not from the last report before.
    resumed_on = models.DateField(_("jadwal dihitung lagi mulai"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("tanggal pengakhiran"), null=True, blank=True)
    closure_reason = models.CharField(_("alasan pengakhiran"), max_length=20, choices=ClosureReason.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("pembimbingan")
        verbose_name_plural = _("pembimbingan")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="supervision_end_after_start"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(closure_reason=""), name="supervision_closure_has_reason"
            ),
            # One legal basis at a time: a new one opens after the running one is closed (DOMAIN: a client
            # has several supervisions over the years). The services say which one runs; this is the backstop.
            models.UniqueConstraint(
                fields=["client"], condition=Q(closed_on__isnull=True), name="supervision_one_running_per_client",
                violation_error_message=_("Klien ini sudah punya pembimbingan yang berjalan."),
            ),
        ]
        indexes = [
            models.Index(fields=["office", "closed_on"]),
            models.Index(fields=["officer", "closed_on"]),
            models.Index(fields=["office", "reporting_check_from"], condition=Q(closed_on__isnull=True),
                         name="supervision_reporting_check"),
        ]

    def __str__(self):
        return f"{self.get_legal_basis_display()} · {self.client}"

    @property
    def schedule_start(self) -> datetime.date:
        return counted_from(self.start_date, self.resumed_on)

    @property
    def contact_base(self) -> datetime.date:
        """The next contact is due one interval after this: the last attended contact, or the schedule's start if later."""
        return max(self.last_contact_on or self.schedule_start, self.schedule_start)

    @property
    def is_active(self):
        return self.closed_on is None

    def clean(self):
        errors = {}
        today = _today()
        if self.start_date and self.end_date:
            if self.end_date <= self.start_date:
                errors["end_date"] = [_("Tanggal berakhir harus sesudah tanggal mulai.")]
            elif self.legal_basis == LegalBasis.PWS:
                limit = _add_years(self.start_date, PWS_MAX_YEARS)
                if self.end_date > limit:
                    errors["end_date"] = [_("Pidana pengawasan paling lama 3 tahun (berakhir paling lambat %(date)s).") % {"date": limit}]
        if self.decree_date and self.decree_date > today:
            errors["decree_date"] = [_("Tanggal SK/putusan tidak boleh di masa depan.")]
        if self.stage_override_on and self.stage_override_on > today:
            errors["stage_override_on"] = [_("Tanggal sidang TPP tidak boleh di masa depan.")]
        elif self.stage_override_on and self.start_date and self.stage_override_on < self.start_date:
            errors["stage_override_on"] = [_("Tanggal sidang TPP tidak boleh sebelum tanggal mulai pembimbingan.")]
        if self.legal_basis == LegalBasis.PKS:
            hours = self.community_service_hours
            if hours is None or not PKS_MIN_HOURS <= hours <= PKS_MAX_HOURS:
                errors["community_service_hours"] = [_("Pidana kerja sosial: 8 sampai 240 jam.")]
        elif self.community_service_hours is not None:
            errors["community_service_hours"] = [_("Jam kerja sosial hanya untuk pidana kerja sosial (PKS).")]
        # At intake the client is not saved yet but is already attached to the supervision.
        client = self.client if self.client_id or Supervision.client.is_cached(self) else None
        if client is not None and self.start_date and client.birth_date and client.age_on(self.start_date) < ADULT_AGE:
            errors["start_date"] = [_("Klien dewasa berumur paling sedikit 18 tahun pada awal pembimbingan.")]
        if bool(self.delegate_id) != bool(self.delegated_until):
            errors["delegated_until"] = [_("Delegasi memerlukan PK penerima dan tanggal berakhirnya.")]
        if errors:
            raise ValidationError(errors)

    def stage_on(self, day: datetime.date) -> str:
        if self.stage_override:
            return self.stage_override
        if day >= self.final_stage_from:
            return Stage.FINAL
        if day >= self.middle_stage_from:
            return Stage.MIDDLE
        return Stage.EARLY

    @cached_property
    def stage(self):
        return self.stage_on(_today())

    def get_stage_display(self):
        return Stage(self.stage).label


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class ContactKind(models.TextChoices):
    REPORT_OFFICE = "report_office", _("Wajib lapor di kantor")
    REPORT_REMOTE = "report_remote", _("Wajib lapor jarak jauh")
    HOME_VISIT = "home_visit", _("Kunjungan rumah")
    CALL = "call", _("Telepon/video/WhatsApp")
    WORKPLACE = "workplace", _("Kunjungan tempat kerja")
    GUARANTOR = "guarantor", _("Kontak penjamin")


REPORTING_KINDS = {ContactKind.REPORT_OFFICE, ContactKind.REPORT_REMOTE}


class Contact(models.Model):
    """One entry of the buku perkembangan bimbingan: a contact with the client or about them."""

    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(_("jenis kontak"), max_length=20, choices=ContactKind.choices)
    occurred_at = models.DateTimeField(_("waktu"))
    attended = models.BooleanField(_("hadir"), default=True)
    notes = models.TextField(_("catatan perkembangan"), blank=True)
    next_appointment = models.DateField(_("janji berikutnya"), null=True, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # An entry of the progress record is corrected, never deleted: the reason of the latest correction
    # shows beside it, and the field history keeps every earlier wording.
    correction_reason = models.CharField(_("alasan koreksi"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontak")
        verbose_name_plural = _("kontak")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["supervision", "-occurred_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"

    def clean(self):
        errors = {}
        if self.occurred_at and self.occurred_at > timezone.now():
            errors["occurred_at"] = [_("Waktu kontak tidak boleh di masa depan.")]
        supervision = self.supervision if self.supervision_id else None
        if supervision and self.occurred_at:
            day = timezone.localdate(self.occurred_at)
            if day < supervision.start_date:
                errors["occurred_at"] = [_("Waktu kontak sebelum pembimbingan dimulai.")]
        if self.next_appointment and self.occurred_at and self.next_appointment < timezone.localdate(self.occurred_at):
            errors["next_appointment"] = [_("Janji berikutnya harus sesudah kontak ini.")]
        if errors:
            raise ValidationError(errors)


class ViolationKind(models.TextChoices):
    MISSED_REPORTING = "missed_reporting", _("Tidak wajib lapor")
    CONDITION_BREACH = "condition_breach", _("Melanggar syarat")
    NEW_OFFENCE = "new_offence", _("Melakukan tindak pidana baru")
    ADDRESS_UNREPORTED = "address_unreported", _("Pindah alamat tanpa lapor")
    OTHER = "other", _("Lainnya")


class ViolationAction(models.TextChoices):
    WARNING = "warning", _("Teguran")
    REVOCATION_PROPOSAL = "revocation_proposal", _("Usulan pencabutan ke sidang TPP")  # a release's or a court sentence's
    OTHER = "other", _("Lainnya")


class ViolationStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    IN_TPP = "in_tpp", _("Dalam proses TPP")
    RESOLVED = "resolved", _("Selesai")


class Violation(models.Model):
    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="violations")
    kind = models.CharField(_("jenis pelanggaran"), max_length=30, choices=ViolationKind.choices)
    occurred_on = models.DateField(_("tanggal kejadian"))
    description = models.TextField(_("uraian"))
    action = models.CharField(_("tindakan"), max_length=30, choices=ViolationAction.choices)
    action_notes = models.TextField(_("catatan tindakan"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ViolationStatus.choices, default=ViolationStatus.OPEN)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pelanggaran")
        verbose_name_plural = _("pelanggaran")
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on}"

    def clean(self):
        if self.occurred_on and self.occurred_on > _today():
            raise ValidationError({"occurred_on": _("Tanggal kejadian tidak boleh di masa depan.")})


class RecidivismKind(models.TextChoices):
    # Kept apart, as the field counts them apart (re-arrest is not reconviction).
    REARREST = "rearrest", _("Ditangkap kembali")
    NEW_CHARGE = "new_charge", _("Didakwa perkara baru")
    RECONVICTION = "reconviction", _("Dipidana kembali")
    REINCARCERATION = "reincarceration", _("Masuk Lapas/Rutan kembali")
    TECHNICAL_REVOCATION = "technical_revocation", _("Pencabutan karena pelanggaran syarat")


# Kinds that mean a new offence; a technical revocation is a breach of conditions, not one.
NEW_OFFENCE_KINDS = {
    RecidivismKind.REARREST, RecidivismKind.NEW_CHARGE, RecidivismKind.RECONVICTION, RecidivismKind.REINCARCERATION,
}


class RecidivismEvent(models.Model):
    """Something that counts towards recidivism, during supervision or after it ended."""

    client = models.ForeignKey(
        Client, verbose_name=_("klien"), on_delete=models.PROTECT, related_name="recidivism_events"
    )
    # The supervision active on the event date, if any; the service finds it.
    supervision = models.ForeignKey(
        Supervision, verbose_name=_("pembimbingan"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="recidivism_events",
    )
    kind = models.CharField(_("jenis peristiwa"), max_length=30, choices=RecidivismKind.choices)
    event_date = models.DateField(_("tanggal peristiwa"))
    source = models.CharField(
        _("sumber informasi"), max_length=100, help_text=_("mis. Polres, SIPP pengadilan, keluarga, mitra")
    )
    description = models.TextField(_("uraian"), blank=True)
    verified = models.BooleanField(_("sudah diverifikasi"), default=False)
    violation = models.OneToOneField(
        Violation, verbose_name=_("pelanggaran"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="recidivism_event",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("peristiwa residivisme")
        verbose_name_plural = _("peristiwa residivisme")
        ordering = ["-event_date", "-id"]
        indexes = [models.Index(fields=["client", "-event_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.event_date}"

    def clean(self):
        errors = {}
        if self.event_date and self.event_date > _today():
            errors["event_date"] = [_("Tanggal peristiwa tidak boleh di masa depan.")]
        client = self.client if self.client_id else None
        if client is not None and self.event_date and client.birth_date and self.event_date < client.birth_date:
            errors["event_date"] = [_("Tanggal peristiwa tidak boleh sebelum tanggal lahir klien.")]
        if client is not None and self.supervision_id and self.supervision.client_id != client.pk:
            errors["supervision"] = [_("Pembimbingan ini bukan milik klien tersebut.")]
        if errors:
            raise ValidationError(errors)


class RevocationStage(models.TextChoices):
    # In the order DOMAIN.md gives: report → berita acara → sidang TPP → Kabapas suspends → sent upward → decided.
    REPORTED = "reported", _("Berita acara dibuat, menunggu sidang TPP")
    TPP_RECOMMENDED = "tpp", _("TPP merekomendasikan pencabutan, menunggu Kabapas")
    SUSPENDED = "suspended", _("Dicabut sementara oleh Kabapas")
    SENT = "sent", _("Diusulkan ke Kanwil/Ditjen, menunggu keputusan")
    REVOKED = "revoked", _("Dicabut")
    NOT_REVOKED = "not_revoked", _("Tidak dicabut, pembimbingan berlanjut")


REVOCATION_CLOSED = (RevocationStage.REVOKED, RevocationStage.NOT_REVOKED)

# A court's sentence goes another way after the TPP: the PK's consideration (surat pertimbangan) goes
# to the jaksa, with no suspension by the Kabapas, and the judge decides. The stages keep their codes.
COURT_STAGE_LABELS = {
    RevocationStage.TPP_RECOMMENDED: _("TPP merekomendasikan pencabutan, menunggu surat pertimbangan ke jaksa"),
    RevocationStage.SENT: _("Pertimbangan dikirim ke jaksa, menunggu putusan pengadilan"),
    RevocationStage.REVOKED: _("Dicabut oleh putusan pengadilan"),
}


def revocation_stage_label(stage: str, legal_basis: str) -> str:
    if legal_basis in COURT_SENTENCES and stage in COURT_STAGE_LABELS:
        return str(COURT_STAGE_LABELS[stage])
    return str(RevocationStage(stage).label)


class Revocation(models.Model):
    """Usulan pencabutan: the path from a violation to the revocation of a conditional release, each
    step with the document that records it. One case per violation."""

    violation = models.OneToOneField(Violation, verbose_name=_("pelanggaran"), on_delete=models.PROTECT, related_name="revocation")
    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="revocations")
    stage = models.CharField(_("tahap"), max_length=12, choices=RevocationStage.choices, default=RevocationStage.REPORTED)
    report_number = models.CharField(_("nomor berita acara"), max_length=100)
    report_date = models.DateField(_("tanggal berita acara"))
    tpp_date = models.DateField(_("tanggal sidang TPP"), null=True, blank=True)
    tpp_number = models.CharField(_("nomor sidang TPP"), max_length=100, blank=True)
    suspended_on = models.DateField(_("tanggal pencabutan sementara"), null=True, blank=True)
    suspension_number = models.CharField(_("nomor keputusan Kabapas"), max_length=100, blank=True)
    sent_on = models.DateField(_("tanggal pengusulan"), null=True, blank=True)
    sent_letter_number = models.CharField(_("nomor surat usulan"), max_length=100, blank=True)
    sent_to = models.CharField(_("diusulkan kepada"), max_length=200, blank=True)
    decided_on = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    decision_number = models.CharField(_("nomor keputusan"), max_length=100, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("usulan pencabutan")
        verbose_name_plural = _("usulan pencabutan")
        indexes = [models.Index(fields=["stage"], name="revocation_stage")]

    def __str__(self):
        return f"{_('Usulan pencabutan')} · {self.report_number}"

    @property
    def is_open(self) -> bool:
        return self.stage not in REVOCATION_CLOSED

    @property
    def by_court(self) -> bool:
        """A court's sentence: decided by the judge on the jaksa's request, not suspended by the Kabapas."""
        return self.supervision.legal_basis in COURT_SENTENCES

    @property
    def stage_label(self) -> str:
        return revocation_stage_label(self.stage, self.supervision.legal_basis)


class PrivateStorage(FileSystemStorage):
    """Files outside every served folder, found through settings at each use (tests move it)."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


class DocumentKind(models.TextChoices):
    PHOTO = "photo", _("Foto klien")
    DECREE = "decree", _("SK / putusan pengadilan")
    CONTRACT = "contract", _("Kontrak bimbingan (ditandatangani)")
    OTHER = "other", _("Lainnya")


class ClientDocument(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("berkas"), storage=private_storage, upload_to="clients/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # A document uploaded by mistake (the wrong client, the wrong file) is withdrawn, not deleted: it
    # leaves the client's file and is served to no one, and the audit trail keeps who withdrew it and why.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawal_reason = models.CharField(_("alasan penarikan"), max_length=200, blank=True)
    # A withdrawn document's stored file is kept WITHDRAWN_DOCUMENT_DAYS, so a disputed withdrawal can
    # still be looked into from storage, then deleted (clients.purge_withdrawn_documents): a decree in the
    # wrong client's file should not be kept for ever. The row stays, so the audit trail still points to it.
    file_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dokumen klien")
        verbose_name_plural = _("dokumen klien")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Sedang diperiksa")
    CHECKED = "checked", _("Siap diimpor")
    IMPORTING = "importing", _("Sedang diimpor")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ClientImport(models.Model):
    """A spreadsheet of an office's existing clients (from the books and spreadsheets it kept before),
    checked row by row with the registration form's own rules, then imported once a supervisor has
    seen the check. Both steps run in the background; progress lives in this row."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    requested_at = models.DateTimeField(_("diminta"), default=timezone.now)
    file = models.FileField(storage=private_storage, upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    progress = models.PositiveSmallIntegerField(default=0)
    # How far the running step got, written with each row: a worker that stops part-way (killed,
    # restarted) is replaced by the catch-up job, which carries on after the last row dealt with.
    done_rows = models.PositiveIntegerField(default=0)
    progressed_at = models.DateTimeField(null=True, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [[row number, [messages]], …], the first MAX_LISTED_ERRORS
    error_rows = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True)

    class Meta:
        verbose_name = _("impor klien")
        verbose_name_plural = _("impor klien")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.original_name


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Menunggu keputusan")
    ACCEPTED = "accepted", _("Diterima")
    REFUSED = "refused", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Ditarik oleh peminta")


class ClientTransfer(models.Model):
    """A request by one Bapas to take over a client whose file another holds: the client moved to its
    area, or comes back under a new decree years after a supervision there (a NIK is registered once,
    nationally). The holding office's Kasi decides. Accepted, the file (the client's data, documents
    and what comes next) moves to the requesting office under its own register number; the
    supervisions the holding office ran stay its records and figures."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="transfers")
    from_office = models.ForeignKey(Office, verbose_name=_("Bapas asal"), on_delete=models.PROTECT, related_name="+")
    to_office = models.ForeignKey(Office, verbose_name=_("Bapas tujuan"), on_delete=models.PROTECT, related_name="+")
    register_number = models.CharField(_("nomor register di Bapas tujuan"), max_length=50)
    reason = models.TextField(_("alasan pemindahan"))
    status = models.CharField(_("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("diajukan"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decision_note = models.CharField(_("catatan keputusan"), max_length=300, blank=True)
    # The supervision the acceptance ended at the holding office: the decree and conditions the
    # receiving office's supervision goes on under.
    ended_supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The first supervision the receiving office opened for the client since: until then, opening one
    # is on its Kasi's list.
    opened_supervision = models.ForeignKey(Supervision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("pemindahan klien")
        verbose_name_plural = _("pemindahan klien")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One question at a time about a client: a second office asks once the first is answered.
            models.UniqueConstraint(fields=["client"], condition=Q(status="requested"), name="client_transfer_one_pending"),
        ]
        indexes = [models.Index(fields=["from_office", "status"]), models.Index(fields=["to_office", "status"])]

    def __str__(self):
        return f"{self.client_id}: {self.from_office_id} → {self.to_office_id}"
