"""The monthly report: every section's figures on a hand-built office, the same figures in the
XLSX, the CSV and the PDF, the scheduled job, access and the on-demand path."""

import csv
import datetime
import io
import os
import shutil
import subprocess
import time
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Litmas
from bapas.models import AuditEntry
from programs.models import CommunityServiceDay
from reports import monthly
from reports.models import MonthlyReport
from reports.services import monthly_job, render_formats
from tests.factories import ContactFactory, OfficeFactory, SupervisionFactory, ViolationFactory

MONTH = datetime.date(2026, 10, 1)
D = datetime.date


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def october(pk):
    """Two running since September (one PWS, one PB Tinggi), one intake in October (PKS, 10 hours
    worked), one closed in October (completed); contacts, a violation and an event in October."""
    office = pk.office
    make = lambda **kw: SupervisionFactory(client__office=office, officer=pk, **kw)  # noqa: E731
    a = make(start_date=D(2026, 9, 1), end_date=D(2027, 9, 1), legal_basis="PWS", risk_level="Sedang", contact_interval_days=30)
    make(start_date=D(2026, 9, 5), end_date=D(2027, 9, 5), risk_level="Tinggi", contact_interval_days=15)
    c = make(start_date=D(2026, 10, 10), end_date=D(2027, 3, 10), legal_basis="PKS", community_service_hours=40, contact_interval_days=30)
    make(start_date=D(2026, 8, 1), end_date=D(2027, 8, 1), closed_on=D(2026, 10, 20), closure_reason="completed")
    ContactFactory(supervision=a, kind="home_visit", occurred_at=at(D(2026, 10, 3)))
    ContactFactory(supervision=a, kind="report_office", occurred_at=at(D(2026, 10, 4)))
    ContactFactory(supervision=a, kind="report_office", attended=False, occurred_at=at(D(2026, 10, 28)))
    ContactFactory(supervision=a, kind="report_office", occurred_at=at(D(2026, 11, 2)))  # November: not counted
    ViolationFactory(supervision=a, kind="missed_reporting", action="warning", occurred_on=D(2026, 10, 28))
    CommunityServiceDay.objects.create(supervision=c, date=D(2026, 10, 12), hours=6, place="Taman", site_supervisor="Lurah",
                                       activity="Kebersihan", recorded_by=pk)
    CommunityServiceDay.objects.create(supervision=c, date=D(2026, 10, 13), hours=4, place="Taman", site_supervisor="Lurah",
                                       activity="Kebersihan", recorded_by=pk)
    from clients.models import RecidivismEvent

    RecidivismEvent.objects.create(client=a.client, kind="rearrest", event_date=D(2026, 10, 30), source="Polres", recorded_by=pk)
    from assessments.models import Assessment, InstrumentVersion
    from programs.models import Attendance, Enrolment, FollowUp, Programme, ProgrammeSession

    Assessment.objects.create(supervision=a, version=InstrumentVersion.objects.get(instrument__code="RRI"), status="final",
                              assessed_on=D(2026, 10, 6), assessor=pk, final_level="Sedang", total=8)
    programme = Programme.objects.create(office=office, name="Konseling", programme_type="konseling", facilitator_officer=pk)
    enrolment = Enrolment.objects.create(programme=programme, supervision=a, referral_date=D(2026, 9, 20), status="active", created_by=pk)
    session = ProgrammeSession.objects.create(programme=programme, date=D(2026, 10, 8), duration_hours=2, topic="Emosi",
                                              facilitator="PK", recorded_by=pk)
    Attendance.objects.create(session=session, enrolment=enrolment, status="present")
    FollowUp.objects.create(supervision=a, anchor="supervision_end", offset_months=3, due_date=D(2026, 10, 15), done_on=D(2026, 10, 16))
    FollowUp.objects.create(supervision=a, anchor="supervision_end", offset_months=6, due_date=D(2026, 10, 25), attempts=1,
                            last_attempt_on=D(2026, 10, 26))
    # Litmas: one requested in October, one requested in September and approved in October after its
    # deadline, one requested in November (none of October's), one cancelled only in November.
    litmas = lambda number, kind, requested, due, **kw: Litmas.objects.create(  # noqa: E731
        office=office, client=a.client, kind=kind, year=2026, number=number, register_number=str(number), officer=pk,
        requested_by="Lapas", requested_on=requested, due_on=due, created_by=pk, **kw)
    litmas(1, "pb", D(2026, 10, 2), D(2026, 10, 20))
    litmas(2, "cb", D(2026, 9, 20), D(2026, 10, 5), status="approved", tpp_date=D(2026, 10, 12), tpp_number="TPP/1")
    litmas(3, "pb", D(2026, 11, 2), D(2026, 11, 20))
    litmas(4, "as", D(2026, 9, 25), D(2026, 10, 25), status="cancelled", decided_at=at(D(2026, 11, 3)))  # still open on Oct 31
    return office


def table(sections, key):
    section = next(s for s in sections if s.key == key)
    return {str(row[0]): row[1:] for row in section.rows}


@pytest.mark.django_db
def test_every_section_on_a_hand_built_office(october):
    sections = monthly.build(october, MONTH)
    assert [s.key for s in sections] == ["ringkasan", "pengakhiran", "dasar_hukum", "tindak_pidana", "risiko", "tahap", "kontak",
                                         "asesmen", "litmas", "program", "kerja_sosial", "tindak_lanjut", "pelanggaran", "residivisme",
                                         "petugas"]
    summary = table(sections, "ringkasan")
    assert (summary["Klien pada awal bulan"], summary["Klien masuk"], summary["Pengakhiran"],
            summary["Klien pada akhir bulan"]) == ([3], [1], [1], [3])
    assert table(sections, "pengakhiran")["Selesai (masa bimbingan berakhir)"] == [1]
    basis = table(sections, "dasar_hukum")
    assert (basis["PWS — Pidana Pengawasan"], basis["PKS — Pidana Kerja Sosial"], basis["PB — Pembebasan Bersyarat"]) == ([1], [1], [1])
    risk = table(sections, "risiko")
    assert (risk["Sedang"], risk["Tinggi"], risk["Belum diasesmen"]) == ([1], [1], [1])
    contacts = table(sections, "kontak")
    assert contacts["Kunjungan rumah"] == [1, 0] and contacts["Wajib lapor di kantor"] == [1, 1]
    total_label = next(label for label in contacts if label.startswith("Jumlah"))
    # Required: 30/30 + 30/15 for the two running all month; for the intake of the 10th, 22 of October's
    # 31 days of 30/30; for the one closed on the 20th, 20 days of it. 1 + 2 + 0.71 + 0.65 = 4.35.
    assert "4)" in total_label and contacts[total_label] == [2, 1]
    assert table(sections, "kerja_sosial") == {"Klien": [1], "Hari kerja": [2], "Jam kerja": [10.0]}
    assert table(sections, "pelanggaran")["Tidak wajib lapor"][0] == 1
    assert table(sections, "residivisme")["Ditangkap kembali"] == [1]
    assert next(s for s in sections if s.key == "asesmen").rows == [["RRI", "Sedang", 1]]
    litmas = table(sections, "litmas")
    assert (litmas["Integrasi: Pembebasan Bersyarat"], litmas["Integrasi: Cuti Bersyarat"],
            litmas["Jumlah"]) == ([1, 0, 0], [0, 1, 1], [1, 1, 1])
    assert table(sections, "program")["Konseling"] == [1, 1, 2.0] and table(sections, "program")["Mediasi keluarga"] == [0, 0, 0.0]
    assert table(sections, "tindak_lanjut") == {"Jatuh tempo bulan ini": [2], "Dilakukan": [1], "Tidak berhasil dihubungi": [1]}
    stages = table(sections, "tahap")
    assert sum(value[0] for value in stages.values()) == 3
    assert sum(value[0] for value in table(sections, "tindak_pidana").values()) == 3
    officers = next(s for s in sections if s.key == "petugas").rows
    # Sedang+PWS, Tinggi+PB, unassessed+PKS, and the two Litmas still open at the month's end (4 points each).
    assert officers[0][1:4] == [3, 2, (2 + 1) + (3 + 0) + (2 + 1) + 2 * 4]


@pytest.mark.django_db
def test_the_same_figures_in_xlsx_csv_and_pdf(october):
    from openpyxl import load_workbook

    sections = monthly.build(october, MONTH)
    files = render_formats(october, MONTH, sections)
    workbook = load_workbook(io.BytesIO(files["xlsx"]), read_only=True)
    assert len(workbook.sheetnames) == 15
    summary_sheet = list(workbook[workbook.sheetnames[0]].iter_rows(values_only=True))
    assert summary_sheet[2] == ("Klien pada awal bulan", 3) and isinstance(summary_sheet[2][1], int)
    archive = zipfile.ZipFile(io.BytesIO(files["csv"]))
    assert len(archive.namelist()) == 15
    raw = archive.read("11_kerja_sosial.csv")
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[1:] == [["Klien", "1"], ["Hari kerja", "2"], ["Jam kerja", "10.0"]]
    assert shutil.which("pdftotext") or not os.environ.get("BAPAS_REQUIRE_SERVICES"), "pdftotext is needed in CI"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=files["pdf"], capture_output=True, check=True).stdout.decode()
        assert "LAPORAN BULANAN" in text and "Oktober 2026" in text
        lines = {" ".join(line.split()[:-1]): line.split()[-1] for line in text.splitlines() if len(line.split()) > 1}
        assert lines["Klien pada akhir bulan"] == "3" and lines["Klien masuk"] == "1"
        assert lines["Jam kerja"].replace(",", ".") == "10.0" and lines["Hari kerja"] == "2"


@pytest.mark.django_db
def test_the_scheduled_job_makes_one_report_per_office_and_month(pk, october):
    wit = OfficeFactory(code="JPR", time_zone="Asia/Jayapura")
    # 00:30 on 1 November in Jayapura is still 31 October in Palembang.
    now = datetime.datetime(2026, 11, 1, 0, 30, tzinfo=ZoneInfo("Asia/Jayapura"))
    assert monthly_job(now) == {"generated": 1}
    assert list(MonthlyReport.objects.values_list("office__code", "month", "status")) == [("JPR", MONTH, "done")]
    assert monthly_job(now) == {"generated": 0}
    later = datetime.datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert monthly_job(later) == {"generated": 1} and monthly_job(later) == {"generated": 0}
    assert MonthlyReport.objects.filter(office=october, month=MONTH, status="done").count() == 1
    assert wit.pk


@pytest.mark.django_db
def test_access_download_and_audit(login, pk, head, admin_user, outsider_supervisor, october):
    report = MonthlyReport.objects.create(office=october, month=MONTH)
    from reports.services import generate

    generate(report=report, by=head)
    for user in (head, admin_user):
        assert login(user).get(reverse("reports:monthly")).status_code == 200
        response = login(user).get(reverse("reports:monthly_download", args=[report.pk, "xlsx"]))
        assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    assert login(pk).get(reverse("reports:monthly")).status_code == 403
    assert login(pk).get(reverse("reports:monthly_download", args=[report.pk, "pdf"])).status_code == 403
    assert login(outsider_supervisor).get(reverse("reports:monthly_detail", args=[report.pk])).status_code == 404
    assert login(outsider_supervisor).get(reverse("reports:monthly_download", args=[report.pk, "pdf"])).status_code == 404
    assert AuditEntry.objects.filter(action="monthly_report.download").count() == 2
    assert AuditEntry.objects.filter(action="monthly_report.generate", actor=head).count() == 1


@pytest.mark.django_db
def test_a_report_asked_for_with_the_broker_down_is_made_by_the_next_run(login, head, october):
    login(head).post(reverse("reports:monthly"), {"month": "2026-10"})
    report = MonthlyReport.objects.get()
    assert report.status == "queued"  # in this test transaction the task is never published
    MonthlyReport.objects.filter(pk=report.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=30))
    assert monthly_job()["generated"] == 1
    report.refresh_from_db()
    assert report.status == "done" and report.generated_by == head
    assert "100%" in login(head).get(reverse("reports:monthly_detail", args=[report.pk])).content.decode()


@pytest.mark.django_db
def test_future_month_is_refused(login, head):
    response = login(head).post(reverse("reports:monthly"), {"month": "2099-01"})
    assert "masa depan" in response.content.decode() and not MonthlyReport.objects.exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_on_demand_generation_runs_on_a_real_worker(login, head, october):
    from celery.contrib.testing.worker import start_worker

    from bapas.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = login(head).post(reverse("reports:monthly"), {"month": "2026-10"})
        report = MonthlyReport.objects.get()
        assert response["Location"] == reverse("reports:monthly_detail", args=[report.pk])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and MonthlyReport.objects.get(pk=report.pk).status != "done":
            time.sleep(0.3)
    report.refresh_from_db()
    assert report.status == "done" and report.progress == 100 and report.generated_by == head


@pytest.mark.django_db
def test_report_figures_agree_with_the_dashboards_on_the_demo_data():
    from django.core.management import call_command

    from bapas.models import Office
    from reports.dashboard import officer_rows, totals
    from reports.trends import office_trends

    call_command("seed_demo")
    office = Office.objects.get(code="PLG")
    today = timezone.localdate()
    sections = monthly.build(office, today.replace(day=1))
    rows = officer_rows(office_id=office.pk, today=today)
    dashboard = totals(rows)
    assert table(sections, "ringkasan")["Klien pada akhir bulan"] == [dashboard["active"]]
    risk = table(sections, "risiko")
    assert [risk[level][0] for level in ("Rendah", "Sedang", "Tinggi", "Sangat Tinggi")] == dashboard["risk"]
    assert risk["Belum diasesmen"] == [dashboard["unassessed"]]
    per_officer = {row[0]: row[1] for row in next(s for s in sections if s.key == "petugas").rows}
    assert per_officer == {row["name"]: row["active"] for row in rows}
    trends = office_trends(office_id=office.pk, today=today)
    assert table(sections, "ringkasan")["Klien masuk"] == [trends["intakes"][-1]]
    assert table(sections, "ringkasan")["Pengakhiran"] == [sum(values[-1] for values in trends["closures"].values())]


@pytest.mark.django_db
def test_required_contacts_agree_with_the_office_dashboard(october, pk):
    from reports.trends import office_trends

    # An interval of 0 days (an unfinished policy) is left out rather than dividing by zero.
    SupervisionFactory(client__office=october, officer=pk, start_date=D(2026, 10, 1), end_date=D(2027, 10, 1), contact_interval_days=0)
    total_label = next(str(row[0]) for row in next(s for s in monthly.build(october, MONTH) if s.key == "kontak").rows
                       if str(row[0]).startswith("Jumlah"))
    dashboard = office_trends(office_id=october.pk, today=D(2026, 10, 31))["contacts_required"][-1]
    assert dashboard == 4 and f"{dashboard})" in total_label


@pytest.mark.django_db
def test_the_month_asked_for_starts_at_the_one_just_ended(login, head):
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    page = login(head).get(reverse("reports:monthly")).content.decode()
    assert f'value="{last_month:%Y-%m}"' in page
