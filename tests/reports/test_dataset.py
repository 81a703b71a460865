"""The synthetic dataset generator at a tiny scale: it runs, it is deterministic, the caseload
shape does not depend on the scale, and the pages work on what it builds."""

import pytest
from django.urls import reverse

from bapas.models import Role, User
from bapas.reminders import today_by_zone
from clients.models import Supervision
from clients.reminders import wajib_lapor_missed
from reports.dataset import CASELOAD, generate, office_plan


def test_office_plan_scales_offices_and_keeps_the_caseload():
    assert office_plan(1, None) == [1000] * 10
    assert len(office_plan(10, None)) == 94 and sum(office_plan(10, None)) == 100_000
    assert office_plan(0.05, None) == [500]
    assert office_plan(3, 5000) == [5000]


@pytest.mark.django_db
def test_small_scale_builds_a_usable_office(login):
    counts = generate(scale=0.02, seed=7, progress=lambda line: None)
    assert counts["clients"] == 200 and counts["contacts"] > 200 * 10 and counts["attendance"] > 0 and counts["assessments"] > 100
    officers = User.objects.filter(username__startswith="g001.pk")
    assert officers.count() == 200 // CASELOAD
    loads = [Supervision.objects.filter(officer=o, closed_on__isnull=True).count() for o in officers]
    assert max(loads) - min(loads) <= 1 and max(loads) <= CASELOAD
    assert Supervision.objects.exclude(risk_level="").exists()
    pk = officers.first()
    supervisor = User.objects.get(username="g001.supervisor", role=Role.SUPERVISOR)
    assert login(pk).get(reverse("clients:list")).status_code == 200
    client_id = Supervision.objects.filter(officer=pk).values_list("client_id", flat=True).first()
    assert login(pk).get(reverse("clients:detail", args=[client_id])).status_code == 200
    assert login(supervisor).get(reverse("reports:caseload")).status_code == 200
    assert login(supervisor).get(reverse("reports:recidivism")).status_code == 200
    # The wajib-lapor rule's check day is set on every running supervision and skips none that has a run.
    assert not Supervision.objects.filter(closed_on__isnull=True, reporting_check_from__isnull=True).exists()
    today = today_by_zone()
    found = set(wajib_lapor_missed(today_by_zone=today))
    Supervision.objects.update(reporting_check_from=None)
    assert found and set(wajib_lapor_missed(today_by_zone=today)) == found


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_data():
    first = generate(scale=0.01, seed=5, progress=lambda line: None)
    names = list(Supervision.objects.order_by("pk").values_list("legal_basis", "start_date"))
    second = generate(scale=0.01, seed=5, progress=lambda line: None)
    assert first == second
    again = list(Supervision.objects.order_by("pk").values_list("legal_basis", "start_date"))
    assert again[len(names):] == names


@pytest.mark.django_db
def test_the_bench_command_runs_at_a_smoke_scale(tmp_path, capsys):
    import json

    from django.core.management import call_command

    out = tmp_path / "latest.json"
    call_command("bench", "--scale", "0.05", "--factor", "2", "--requests", "3",
                 "--report-office-size", "60", "--no-migrate", "--out", str(out))
    rows = json.loads(out.read_text())
    names = {row["name"] for row in rows}
    assert {"caseload_list", "client_detail", "client_timeline", "session_logging", "officer_today", "supervisor_dashboard",
            "head_dashboard", "assessment_result", "analytics", "daily_sweep", "monthly_report", "monthly_report_g001",
            "empty_page", "supervisor_today"} <= names
    for row in rows:
        assert set(row) >= {"name", "kind", "queries_1x", "queries_10x", "median_ms_1x", "median_ms_10x", "p95_ms_1x",
                            "p95_ms_10x", "floor_ms_10x", "ratio_10x_1x", "ratio_floor"}
        if row["kind"] == "page":
            assert row["queries_1x"] > (2 if row["name"] == "empty_page" else 5), row["name"]
            assert row["queries_1x"] == row["queries_10x"], row["name"]
        else:
            assert "peak_mb_10x" in row
    assert "caseload_list" in capsys.readouterr().out


def test_the_table_names_the_targets_a_page_misses():
    from reports.bench import targets_missed

    row = {"kind": "page", "queries_1x": 7, "queries_10x": 7, "ratio_10x_1x": 1.3, "ratio_floor": 2.5}
    assert targets_missed({**row, "name": "caseload_list"}) == ["10x"]       # a PK's page: 1.2x at most
    assert targets_missed({**row, "name": "supervisor_dashboard"}) == []     # an office's page: 1.5x
    assert targets_missed({**row, "name": "caseload_list", "queries_10x": 8, "ratio_10x_1x": 1.0, "ratio_floor": 4}) == [
        "queries", "floor"]
    assert targets_missed({**row, "name": "daily_sweep", "kind": "job"}) == []
