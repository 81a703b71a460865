"""The organisation: offices, officers and their roles, and the append-only audit trail."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


# The undertakings a client signs at intake (kontrak bimbingan), one a line: the office's own wording.
DEFAULT_AGREEMENT_CLAUSES = "\n".join([
    "Mematuhi syarat umum dan syarat khusus yang tercantum dalam surat keputusan atau putusan.",
    "Melaporkan diri (wajib lapor) kepada Pembimbing Kemasyarakatan sesuai jadwal yang ditetapkan.",
    "Menerima kunjungan rumah dan mengikuti program bimbingan yang ditetapkan.",
    "Memberitahukan lebih dulu setiap perubahan alamat, pekerjaan, atau rencana bepergian ke luar daerah.",
    "Tidak melakukan tindak pidana dan tidak menimbulkan keresahan dalam masyarakat.",
    "Tidak menyalahgunakan narkotika, psikotropika, dan minuman beralkohol.",
    "Memahami bahwa pelanggaran, termasuk tidak wajib lapor tiga kali berturut-turut, dapat diusulkan pencabutan kepada sidang TPP.",
])


def default_agreement_clauses() -> str:
    return DEFAULT_AGREEMENT_CLAUSES


class Office(models.Model):
    class OfficeClass(models.TextChoices):
        I = "I", _("Kelas I")  # noqa: E741 — the office class is the Roman numeral I, not a variable
        II = "II", _("Kelas II")

    code = models.CharField(_("kode"), max_length=10, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    office_class = models.CharField(_("kelas"), max_length=2, choices=OfficeClass.choices, default=OfficeClass.I)
    city = models.CharField(_("kota"), max_length=100)
    region = models.CharField(_("Kanwil"), max_length=200, blank=True)
    time_zone = models.CharField(_("zona waktu"), max_length=40, choices=TimeZone.choices, default=TimeZone.WIB)
    # Letterhead (kop surat) lines for printed documents; the ministry's name changes, so it is data.
    letterhead_ministry = models.CharField(_("kop: kementerian"), max_length=200, blank=True)
    letterhead_directorate = models.CharField(_("kop: direktorat jenderal / kanwil"), max_length=200, blank=True)
    letterhead_address = models.CharField(_("kop: alamat"), max_length=300, blank=True)
    letterhead_phone = models.CharField(_("kop: telepon"), max_length=50, blank=True)
    letterhead_email = models.EmailField(_("kop: e-mail"), blank=True)
    # Each Kanwil numbers its offices' Litmas its own way; {nomor}, {tahun} and {kantor} are filled in.
    litmas_number_format = models.CharField(
        _("format nomor register Litmas"), max_length=60, default="{nomor}/LITMAS/{kantor}/{tahun}",
        help_text=_("Gunakan {nomor} (nomor urut, 4 angka), {tahun} dan {kantor} (kode kantor)."),
    )
    agreement_clauses = models.TextField(
        _("isi kontrak bimbingan"), default=default_agreement_clauses,
        help_text=_("Satu kewajiban per baris; dicetak bernomor pada kontrak bimbingan setiap klien."),
    )
    reporting_grace_days = models.PositiveSmallIntegerField(
        _("tenggang wajib lapor (hari)"), default=3,
        help_text=_("Wajib lapor dihitung terlewat bila tanggal jadwal ditambah tenggang ini lewat tanpa laporan."),
    )
    # Reminder offsets (Pengaturan → Jadwal pengingat): each office's own, the shipped ones by default.
    ending_notice_days = models.PositiveSmallIntegerField(
        _("pemberitahuan masa bimbingan berakhir (hari sebelumnya)"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text=_("PK diberi tahu sejak sekian hari sebelum masa bimbingan klien berakhir."))
    stage_notice_days = models.PositiveSmallIntegerField(
        _("pemberitahuan pergantian tahap (hari setelahnya)"), default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Pergantian tahap menurut tanggal diberitahukan kepada PK selama sekian hari sejak tahap baru dimulai."))
    agreement_notice_days = models.PositiveSmallIntegerField(
        _("peringatan perjanjian mitra berakhir (hari sebelumnya)"), default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Admin dan Kasi diperingatkan sejak sekian hari sebelum perjanjian kerja sama dengan mitra berakhir."))
    digest_hour = models.PositiveSmallIntegerField(
        _("jam ringkasan e-mail harian"), default=7, validators=[MaxValueValidator(23)],
        help_text=_("Jam setempat (0–23) saat ringkasan harian dikirim kepada pegawai kantor ini."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kantor Bapas")
        verbose_name_plural = _("kantor Bapas")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def litmas_register_number(self, number: int, year: int) -> str:
        return self.litmas_number_format.format(nomor=f"{number:04d}", tahun=year, kantor=self.code)


class Role(models.TextChoices):
    PK = "pk", _("PK (Pembimbing Kemasyarakatan)")
    APK = "apk", _("APK (Asisten PK)")
    SUPERVISOR = "supervisor", _("Kasi/Kasubsi (penyelia)")
    HEAD = "head", _("Kabapas")
    ADMIN = "admin", _("Admin kantor")
    # Belong to no office: read the offices of one Kanwil, or of the country, as figures, never a client's file.
    REGIONAL = "regional", _("Kanwil (pemantau wilayah)")
    NATIONAL = "national", _("Ditjenpas (pemantau nasional)")


CASEWORKER_ROLES = {Role.PK, Role.APK}
# The roles of an office's staff, which its admin gives; a Kanwil account is made by the system's administrator.
OFFICE_STAFF_ROLES = [Role.PK, Role.APK, Role.SUPERVISOR, Role.HEAD, Role.ADMIN]
OFFICE_WIDE_ROLES = {Role.SUPERVISOR, Role.HEAD, Role.ADMIN}
# Roles that write client files; head and admin read them only.
CLIENT_WRITER_ROLES = {Role.PK, Role.APK, Role.SUPERVISOR}
# Roles that see a client's full NIK; others see it masked (UU 27/2022).
NIK_VISIBLE_ROLES = {Role.PK, Role.APK, Role.SUPERVISOR}
# Roles that read the office's audit trail: the admin, who answers for the system, and the head.
AUDIT_READER_ROLES = {Role.ADMIN, Role.HEAD}


class User(AbstractUser):
    office = models.ForeignKey(
        Office, verbose_name=_("kantor"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.PK)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    jabatan = models.CharField(_("jabatan"), max_length=150, blank=True)
    pangkat = models.CharField(_("pangkat/golongan"), max_length=100, blank=True)
    language = models.CharField(_("bahasa"), max_length=10, default="id", choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    digest_enabled = models.BooleanField(_("terima ringkasan harian lewat e-mail"), default=True)
    # Set when an admin chooses the password (a new account, a reset): until its owner picks their own,
    # every page leads to the change form (bapas.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("harus mengganti kata sandi"), default=False)
    # For the Kanwil role only: the region whose offices it reads, as the offices name it (Office.region).
    region = models.CharField(_("Kanwil (wilayah)"), max_length=200, blank=True)
    # For an account with no office (Kanwil, Ditjenpas): the zone its pages speak in; staff follow their office's.
    time_zone = models.CharField(_("zona waktu"), max_length=40, choices=TimeZone.choices, blank=True,
                                 help_text=_("Hanya untuk akun tanpa kantor (Kanwil, Ditjenpas); kosong: WIB."))

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_caseworker(self):
        return self.role in CASEWORKER_ROLES

    @property
    def writes_client_files(self):
        return self.office_id is not None and self.role in CLIENT_WRITER_ROLES

    @property
    def is_supervisor(self):
        return self.office_id is not None and self.role == Role.SUPERVISOR

    @property
    def is_office_admin(self):
        return self.office_id is not None and self.role == Role.ADMIN

    @property
    def reads_audit(self):
        return self.office_id is not None and self.role in AUDIT_READER_ROLES

    @property
    def reads_recap(self):
        """A Kanwil account with its region, or a national one: the offices' figures, and nothing else."""
        if self.office_id is not None:
            return False
        return self.role == Role.NATIONAL or (self.role == Role.REGIONAL and bool(self.region))

    @property
    def sees_full_nik(self):
        return self.role in NIK_VISIBLE_ROLES


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("audit entries are append-only")

    def delete(self):
        raise TypeError("audit entries are append-only")


class AuditEntry(models.Model):
    """One row per write, export or view of a client's file. Never updated, never deleted."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The client whose file the entry is about (a view, a contact, an assessment …), so one client's
    # trail is an indexed lookup. A plain number: this app sits below the one that owns clients.
    client_pk = models.IntegerField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The audit page: an office's entries newest first, and one client's.
            models.Index(fields=["office", "-at"], name="audit_office_at"),
            models.Index(fields=["client_pk", "-at"], name="audit_client_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("audit entries are append-only")


class JobRun(models.Model):
    """One run of a scheduled job: when, how long, what it counted, or how it failed."""

    name = models.CharField(max_length=100, db_index=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"])]

    def __str__(self):
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_seconds(self):
        return (self.finished_at - self.started_at).total_seconds() if self.finished_at else None


OPEN_NOTICE = models.Q(read_at__isnull=True, resolved_at__isnull=True)


class Notification(models.Model):
    """One reminder for one person about one thing due on one date. The unique key makes every
    sweep idempotent: running it twice, or on two workers at once, creates nothing new.

    A notice is open until its reader marks it read or the sweep finds its thing handled (the
    contact made, the follow-up done): an open notice is what the bell counts and the digest sends."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("jenis"), max_length=40)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    due_date = models.DateField(_("jatuh tempo"))
    title = models.CharField(_("judul"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("tertangani pada"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "object_type", "object_id", "due_date"], name="notification_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["kind", "created_at"]),
            # The sweep looks for a rule's open notices to settle; read and settled ones pile up for years.
            models.Index(fields=["kind", "recipient"], condition=OPEN_NOTICE, name="notification_open"),
        ]

    def __str__(self):
        return self.title


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class OutgoingEmail(models.Model):
    """The e-mail outbox: a message is written here first and sent by a job, so it is never lost;
    a crash between sending and recording can at worst send it once more, which attempts records."""

    key = models.CharField(max_length=120, unique=True)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail keluar")
        verbose_name_plural = _("e-mail keluar")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.to}: {self.subject}"
