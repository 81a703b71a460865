"""Workload points, officer capacity and the monthly report's layout: office data, editable by the
admin, defaults shipped; and the archive of monthly reports."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bapas.models import Office
from clients.models import private_storage

DEFAULT_RISK_POINTS = {"": 2, "Rendah": 1, "Sedang": 2, "Tinggi": 3, "Sangat Tinggi": 4}
DEFAULT_BASIS_POINTS = {"PB": 0, "CB": 0, "CMB": 0, "AS": 0, "PBS": 0, "PWS": 1, "PKS": 1}


class WorkloadModel(models.Model):
    """Points a case weighs (by risk level and legal basis), a Litmas being written weighs, and how many
    hours a point takes."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="workload_model")
    risk_points = models.JSONField(_("poin per tingkat risiko"), default=dict)
    basis_points = models.JSONField(_("poin tambahan per dasar hukum"), default=dict)
    hours_per_point = models.DecimalField(_("jam kerja per poin per bulan"), max_digits=4, decimal_places=2, default=Decimal("1.50"))
    # A Litmas is days of a PK's work (visits to the family, the victim, the village): it weighs while it is being written.
    litmas_points = models.PositiveSmallIntegerField(_("poin per Litmas yang sedang disusun"), default=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("model beban kerja")
        verbose_name_plural = _("model beban kerja")

    def __str__(self):
        return f"{self.office.code}"

    def load_points(self, case_points: int, litmas: int) -> int:
        """An officer's points: their cases' plus the Litmas they are writing."""
        return case_points + litmas * self.litmas_points


class OfficerCapacity(models.Model):
    """An officer's hours for casework in a month: contracted hours less the reductions."""

    officer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="capacity")
    contracted_hours = models.PositiveSmallIntegerField(_("jam kerja kontrak per bulan"), default=150)
    part_time_percent = models.PositiveSmallIntegerField(_("paruh waktu (persen dikurangi)"), default=0)
    training_hours = models.PositiveSmallIntegerField(_("pelatihan (jam)"), default=0)
    leave_hours = models.PositiveSmallIntegerField(_("cuti (jam)"), default=0)
    other_duty_hours = models.PositiveSmallIntegerField(_("tugas lain (jam)"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kapasitas petugas")
        verbose_name_plural = _("kapasitas petugas")

    def __str__(self):
        return str(self.officer)

    @property
    def available_hours(self) -> Decimal:
        hours = Decimal(self.contracted_hours) * (100 - min(self.part_time_percent, 100)) / 100
        return max(Decimal("0"), hours - self.training_hours - self.leave_hours - self.other_duty_hours)


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ReportLayout(models.Model):
    """Which sections an office's monthly report shows, in what order and under what titles. Each
    edit is a new row (a version); the newest applies to the reports made after it, and each report
    keeps the version it was made with. With none saved, the shipped layout (reports.monthly.SECTIONS)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="report_layouts")
    number = models.PositiveIntegerField(_("nomor versi"), default=1)
    # [{"key": a key of reports.monthly.SECTIONS, "title": the office's title, or "" for the shipped one}], in order
    sections = models.JSONField(_("bagian"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("susunan laporan bulanan")
        verbose_name_plural = _("susunan laporan bulanan")
        ordering = ["office", "-number"]
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="report_layout_number_unique")]

    def __str__(self):
        return f"{self.office.code} v{self.number}"


class MonthlyReport(models.Model):
    """The archived laporan bulanan of one office and month. Progress lives in this row, so a
    reload (or the embedded broker, which has no result backend) never loses it."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="monthly_reports")
    month = models.DateField(_("bulan"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(null=True, blank=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    generated_at = models.DateTimeField(null=True, blank=True)
    data_version = models.CharField(_("versi data"), max_length=64, blank=True)
    xlsx = models.FileField(storage=private_storage, upload_to="reports/", blank=True)
    csv = models.FileField(storage=private_storage, upload_to="reports/", blank=True)
    pdf = models.FileField(storage=private_storage, upload_to="reports/", blank=True)
    error = models.TextField(blank=True)
    layout = models.ForeignKey(ReportLayout, verbose_name=_("susunan"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        ordering = ["-month", "office"]
        constraints = [models.UniqueConstraint(fields=["office", "month"], name="one_report_per_office_month")]

    def __str__(self):
        return f"{self.office.code} {self.month:%Y-%m}"
