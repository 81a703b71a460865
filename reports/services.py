"""Generating, archiving and scheduling the monthly report."""

import datetime
import hashlib
import io
import json
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bapas.audit import audit_log
from bapas.jobs import periodic_job
from bapas.models import Office, Role, TimeZone, User

from . import exports, monthly
from .layouts import current_layout
from .models import MonthlyReport, ReportStatus

FORMATS = ("xlsx", "csv", "pdf")


def previous_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _progress(report: MonthlyReport, value: int, **fields) -> None:
    # Its own short write, outside any long transaction, so a page polling the row sees it move.
    MonthlyReport.objects.filter(pk=report.pk).update(progress=value, **fields)


def render_formats(office: Office, month: datetime.date, sections, formats=FORMATS) -> dict[str, bytes]:
    files = {}
    if "xlsx" in formats:
        stream = io.BytesIO()
        exports.write_xlsx(sections, stream)
        files["xlsx"] = stream.getvalue()
    if "csv" in formats:
        stream = io.BytesIO()
        exports.write_csv_zip(sections, stream)
        files["csv"] = stream.getvalue()
    if "pdf" in formats:
        head = User.objects.filter(office=office, role=Role.HEAD, is_active=True).order_by("pk").first()
        files["pdf"] = exports.render_pdf(office=office, month=month, sections=sections, head=head)
    return files


def data_version(sections) -> str:
    payload = json.dumps([[s.key, s.columns, s.rows] for s in sections], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def generate(*, report: MonthlyReport, by=None) -> MonthlyReport:
    _progress(report, 5, status=ReportStatus.RUNNING, error="")
    try:
        layout = current_layout(report.office_id)
        sections = monthly.build(report.office, report.month, layout.sections)
        _progress(report, 40)
        files = render_formats(report.office, report.month, sections)
        _progress(report, 90)
        stem = f"laporan-bulanan-{report.office.code}-{report.month:%Y-%m}"
        with transaction.atomic():
            current = MonthlyReport.objects.select_for_update().get(pk=report.pk)
            for fmt in FORMATS:
                getattr(current, fmt).save(f"{stem}.{'zip' if fmt == 'csv' else fmt}", ContentFile(files[fmt]), save=False)
            current.status, current.progress = ReportStatus.DONE, 100
            current.generated_by, current.generated_at = by, timezone.now()
            current.data_version, current.layout = data_version(sections), layout
            current.save()
            audit_log(actor=by, action="monthly_report.generate", obj=current, office=current.office,
                      detail={"month": current.month.isoformat(), "data_version": current.data_version, "layout": layout.number})
        return current
    except Exception as error:
        _progress(report, 0, status=ReportStatus.FAILED, error=repr(error)[:2000])
        raise


def request_report(*, office: Office, month: datetime.date, by=None) -> MonthlyReport:
    """The row for an office and month (one only), marked queued for a new generation."""
    report, _created = MonthlyReport.objects.get_or_create(office=office, month=month)
    MonthlyReport.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED, progress=0, requested_by=by,
                                                      requested_at=timezone.now())
    report.refresh_from_db()
    return report


@periodic_job("reports.monthly_reports", hour="*", minute="30")
def monthly_job(now: datetime.datetime | None = None) -> dict:
    """On the 1st, in each office's own zone, last month's report — exactly one per office and month."""
    now = now or timezone.now()
    made = 0
    # Reports asked for on a page whose task never reached a worker (broker down) are made here.
    stale = now - datetime.timedelta(minutes=10)
    for report in MonthlyReport.objects.filter(status=ReportStatus.QUEUED, requested_at__lt=stale).select_related("office"):
        generate(report=report, by=report.requested_by)
        made += 1
    for zone in TimeZone.values:
        local = now.astimezone(ZoneInfo(zone))
        if local.day != 1:
            continue
        month = previous_month(local.date())
        for office in Office.objects.filter(time_zone=zone).exclude(monthly_reports__month=month):
            report, created = MonthlyReport.objects.get_or_create(office=office, month=month)
            if created:
                generate(report=report)
                made += 1
    return {"generated": made}
