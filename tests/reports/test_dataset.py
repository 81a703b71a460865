"""The synthetic dataset generator at a tiny scale: it runs, it is deterministic, the caseload
shape does not depend on the scale, and the pages work on what it builds."""

import pytest
from django.urls import reverse

from bapas.models import Role, User
from clients.models import Supervision
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
    call_command("bench", "--scale", "0.05", "--factor", "2", "--requests", "3", "--report-office-size", "60", "--no-migrate", "--out", str(out))
    rows = json.loads(out.read_text())
    names = {row["name"] for row in rows}
    assert {"caseload_list", "client_detail", "client_timeline", "session_logging", "officer_today", "supervisor_dashboard",
            "head_dashboard", "assessment_result", "analytics", "daily_sweep", "monthly_report", "monthly_report_g001",
            "empty_page"} <= names
    for row in rows:
        assert set(row) >= {"name", "kind", "queries_1x", "queries_10x", "median_ms_1x", "median_ms_10x", "p95_ms_1x",
                            "p95_ms_10x", "floor_ms_10x", "ratio_10x_1x", "ratio_floor"}
        if row["kind"] == "page":
            assert row["queries_1x"] > (2 if row["name"] == "empty_page" else 5), row["name"]
            assert row["queries_1x"] == row["queries_10x"], row["name"]
        else:
            assert "peak_mb_10x" in row
    assert "caseload_list" in capsys.readouterr().out
