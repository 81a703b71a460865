"""Recidivism statistics: a small hand-built cohort with known answers, agreement with lifelines
and scikit-learn on a generated cohort, the CSV round trip, and the cohort built from records."""

import datetime
import io
import json
import random
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports import recidivism
from reports.recidivism import CohortRow, auc_hanley_mcneil, kaplan_meier, rates, survival_at, wilson

D = datetime.date


def row(person, index, end, event=None, kind="rearrest", score=None, level="", basis="PB", status="completed"):
    first = {k: None for k in ["rearrest", "new_charge", "reconviction", "reincarceration", "technical_revocation"]}
    if event:
        first[kind] = event
    first["any"] = event
    return CohortRow(person, index, "supervision_end", end, score, level, basis, status, first, kind if event else "")


def test_wilson_interval_known_values():
    low, high = wilson(2, 10)
    assert round(low, 4) == 0.0567 and round(high, 4) == 0.5098
    assert wilson(0, 0) == (None, None)


def test_rates_count_only_complete_windows_or_events_inside():
    rows = [
        row("A", D(2024, 1, 1), D(2026, 1, 1)),                           # complete 12-month window, no event
        row("B", D(2024, 1, 1), D(2026, 1, 1), event=D(2024, 6, 1)),      # event inside 12 months
        row("C", D(2025, 9, 1), D(2026, 1, 1)),                           # window not complete, no event: excluded
        row("D", D(2025, 9, 1), D(2026, 1, 1), event=D(2025, 12, 1)),     # incomplete but event inside: counted
        row("E", D(2024, 1, 1), D(2026, 1, 1), event=D(2025, 6, 1)),      # event after 12 months: no event at 12
    ]
    at12 = next(r for r in rates(rows) if r["window_months"] == 12 and r["event"] == "any" and r["group_by"] == "all")
    assert (at12["n"], at12["events"], at12["rate"]) == (4, 2, 0.5)
    at24 = next(r for r in rates(rows) if r["window_months"] == 24 and r["event"] == "any" and r["group_by"] == "all")
    assert (at24["n"], at24["events"]) == (4, 3)  # A, B, E complete at 24; D by its event
    charge = next(r for r in rates(rows) if r["window_months"] == 12 and r["event"] == "new_charge" and r["group_by"] == "all")
    assert charge["events"] == 0


def test_kaplan_meier_by_hand():
    # Times (days, event): 10 e, 20 c, 30 e, 30 e, 40 c  → S(10)=4/5, S(30)=4/5 × (1 - 2/3) = 4/15
    data = [(10, True), (20, False), (30, True), (30, True), (40, False)]
    assert kaplan_meier(data) == [(10, 0.8, 5), (30, pytest.approx(4 / 15), 3)]
    assert survival_at(data, 29) == (0.8, 3) and survival_at(data, 35)[0] == pytest.approx(4 / 15)


def test_auc_by_hand():
    auc, low, high = auc_hanley_mcneil([10, 12, 8], [5, 8, 3, 12])
    # pairs: 10>5,8,3 (3), 10<12 (0); 12>5,8,3 (3), 12=12 (.5); 8>5,3 (2), 8=8 (.5) → 9/12
    assert auc == 0.75 and 0 <= low < 0.75 < high <= 1
    assert auc_hanley_mcneil([1], []) is None


def generated(n=3000, seed=11):
    rng = random.Random(seed)
    rows = []
    for index in range(n):
        level = rng.choice(["Rendah", "Sedang", "Tinggi", "Sangat Tinggi"])
        score = {"Rendah": rng.randint(0, 6), "Sedang": rng.randint(7, 11), "Tinggi": rng.randint(12, 15),
                 "Sangat Tinggi": rng.randint(16, 17)}[level]
        start = D(2021, 1, 1) + datetime.timedelta(days=rng.randint(0, 1400))
        end = start + datetime.timedelta(days=rng.randint(30, 1500))
        hazard = 0.0004 + 0.0001 * score
        event = start + datetime.timedelta(days=int(rng.expovariate(hazard)) + 1)
        rows.append(row(f"P{index}", start, end, event=event if event <= end else None, score=score, level=level,
                        status=rng.choice(["completed", "dropped", "not_enrolled"])))
    return rows


def test_kaplan_meier_agrees_with_lifelines():
    from lifelines import KaplanMeierFitter

    rows = generated()
    data = [recidivism._time_and_event(r, "any") for r in rows]
    fitter = KaplanMeierFitter().fit([t for t, _e in data], [e for _t, e in data])
    for day in (0, 91, 365, 730, 1000):
        ours, _at_risk = survival_at(data, day)
        assert abs(ours - float(fitter.survival_function_at_times(day).iloc[0])) < 1e-9


def test_auc_agrees_with_scikit_learn():
    from sklearn.metrics import roc_auc_score

    rows = generated()
    aucs, calibration = recidivism.validity(rows)
    at12 = aucs[0]
    eligible = [r for r in rows if recidivism._event_in_window(r, "any", 12) or recidivism._window_complete(r, 12)]
    labels = [int(recidivism._event_in_window(r, "any", 12)) for r in eligible]
    assert abs(at12["auc"] - roc_auc_score(labels, [r.rri_score for r in eligible])) < 1e-9
    assert at12["n"] == len(eligible) and at12["events"] == sum(labels)
    assert at12["auc"] > 0.55  # the generator makes risk matter
    assert sum(c["n"] for c in calibration if c["window_months"] == 12) == len(eligible)


def test_every_figure_is_reproducible_from_the_csv():
    rows = generated(400)
    stream = io.StringIO()
    recidivism.write_cohort_csv(rows, stream)
    again = recidivism.read_cohort_csv(io.StringIO(stream.getvalue()))
    assert recidivism.statistics(again) == recidivism.statistics(rows)


@pytest.mark.django_db
def test_cohort_from_records_and_the_command(pk, supervisor, tmp_path, capsys):
    from assessments.models import Assessment, InstrumentVersion
    from clients.models import RecidivismEvent
    from programs.models import Enrolment, FollowUp, Programme
    from tests.factories import SupervisionFactory

    as_of = D(2026, 11, 1)
    done = SupervisionFactory(client__office=pk.office, officer=pk, start_date=D(2024, 1, 1), end_date=D(2025, 1, 1),
                              closed_on=D(2025, 1, 1), closure_reason="completed", legal_basis="PB")
    Assessment.objects.create(supervision=done, version=InstrumentVersion.objects.get(instrument__code="RRI"), status="final",
                              assessed_on=D(2024, 2, 1), assessor=pk, final_level="Tinggi", total=13)
    programme = Programme.objects.create(office=pk.office, name="Las", programme_type="keterampilan", facilitator_officer=pk)
    Enrolment.objects.create(programme=programme, supervision=done, referral_date=D(2024, 3, 1), status="completed",
                             ended_on=D(2024, 9, 1), created_by=pk)
    FollowUp.objects.create(supervision=done, anchor="supervision_end", offset_months=12, due_date=D(2026, 1, 1), done_on=D(2026, 1, 5))
    RecidivismEvent.objects.create(client=done.client, kind="new_charge", event_date=D(2025, 6, 1), source="SIPP", recorded_by=pk)
    rows = recidivism.build_cohort(office_id=pk.office_id, as_of=as_of)
    by_kind = {r.index_kind: r for r in rows}
    supervision_row, programme_row = by_kind["supervision_end"], by_kind["programme_end"]
    assert supervision_row.person_id == programme_row.person_id  # one pseudonym per person
    assert (supervision_row.index_date, supervision_row.follow_up_end, supervision_row.rri_score, supervision_row.rri_level) == (
        D(2025, 1, 1), D(2026, 1, 5), 13, "Tinggi")
    assert supervision_row.programme_status == "completed" and supervision_row.first_event_kind == "new_charge"
    assert supervision_row.event_date("new_charge") == D(2025, 6, 1) and supervision_row.event_date("rearrest") is None
    assert programme_row.index_date == D(2024, 9, 1) and programme_row.event_date("any") == D(2025, 6, 1)
    csv_path = tmp_path / "cohort.csv"
    call_command("recidivism_stats", "--office", pk.office.code, "--json", "--cohort-csv", str(csv_path), "--as-of", "2026-11-01")
    payload = json.loads(capsys.readouterr().out)
    assert payload["office"] == pk.office.code and payload["as_of"] == "2026-11-01"
    assert set(payload) == {"office", "as_of", "rates", "km", "auc", "calibration"}
    assert set(payload["rates"][0]) == {"window_months", "event", "group_by", "group", "n", "events", "rate", "ci_low", "ci_high"}
    assert (set(payload["km"][0]) == {"event", "group_by", "group", "points"}
            and set(payload["km"][0]["points"][0]) == {"month", "survival", "at_risk"})
    header = csv_path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == recidivism.CSV_COLUMNS
    again = recidivism.read_cohort_csv(io.StringIO(csv_path.read_text(encoding="utf-8")))
    assert recidivism.statistics(again) == {k: payload[k] for k in ("rates", "km", "auc", "calibration")}


@pytest.mark.django_db
def test_a_supervision_moved_elsewhere_or_ended_by_death_is_no_index_date(pk):
    from tests.factories import SupervisionFactory

    for reason in ("completed", "revoked", "transferred", "died"):
        SupervisionFactory(client__office=pk.office, officer=pk, start_date=D(2024, 1, 1), end_date=D(2025, 1, 1),
                           closed_on=D(2025, 1, 1), closure_reason=reason)
    rows = recidivism.build_cohort(office_id=pk.office_id, as_of=D(2026, 11, 1))
    assert len(rows) == 2


def _closed_with_event(officer, n=1, event=True):
    from clients.models import RecidivismEvent
    from tests.factories import SupervisionFactory

    for _ in range(n):
        supervision = SupervisionFactory(client__office=officer.office, officer=officer, start_date=D(2023, 1, 1), end_date=D(2024, 1, 1),
                                         closed_on=D(2024, 1, 1), closure_reason="completed")
        if event:
            RecidivismEvent.objects.create(client=supervision.client, kind="rearrest", event_date=D(2024, 5, 1), source="Polres",
                                           recorded_by=officer)


@pytest.mark.django_db
def test_analytics_page_access_export_audit_and_query_count(login, head, supervisor, pk, admin_user, outsider_supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bapas.models import AuditEntry

    _closed_with_event(pk, 3)
    for user in (head, supervisor):
        page = login(user).get(reverse("reports:recidivism")).content.decode()
        assert 'id="km-data"' in page and "kelompok terlalu kecil" in page
    for user in (pk, admin_user):
        assert login(user).get(reverse("reports:recidivism")).status_code == 403
        assert login(user).get(reverse("reports:recidivism_csv")).status_code == 403
    assert "3 titik indeks" not in login(outsider_supervisor).get(reverse("reports:recidivism")).content.decode()
    response = login(head).get(reverse("reports:recidivism_csv"))
    lines = response.content.decode().splitlines()
    assert lines[0].split(",") == recidivism.CSV_COLUMNS and len(lines) == 4
    assert AuditEntry.objects.filter(action="recidivism.cohort_export", actor=head).count() == 1
    client = login(head)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:recidivism"), {"jendela": 24}).status_code == 200
        return len(queries)

    few = count()
    _closed_with_event(pk, 20)
    _closed_with_event(pk, 20, event=False)
    assert count() == few


@pytest.mark.django_db
def test_a_recorded_event_counts_as_knowing_the_status(pk):
    _closed_with_event(pk, 1)
    (only,) = recidivism.build_cohort(office_id=pk.office_id, as_of=D(2026, 11, 1))
    assert only.follow_up_end == D(2024, 5, 1) and recidivism._time_and_event(only, "any") == ((D(2024, 5, 1) - D(2024, 1, 1)).days, True)


def test_cohorts_by_index_year_and_quarter():
    rows = [row("A", D(2023, 2, 1), D(2026, 1, 1)), row("B", D(2023, 11, 1), D(2026, 1, 1), event=D(2024, 1, 1)),
            row("C", D(2024, 5, 1), D(2026, 1, 1))]
    by_year = {r["group"]: (r["n"], r["events"]) for r in rates(rows)
               if r["window_months"] == 12 and r["event"] == "any" and r["group_by"] == "cohort_year"}
    assert by_year == {"2023": (2, 1), "2024": (1, 0)}
    quarters = {r["group"] for r in rates(rows) if r["group_by"] == "cohort_quarter"}
    assert quarters == {"2023-Q1", "2023-Q4", "2024-Q2"}


def test_one_chosen_selection_gives_the_same_figures_as_the_full_table():
    generator = random.Random(5)
    rows = []
    for number in range(300):
        index = D(2021, 1, 1) + datetime.timedelta(days=generator.randrange(900))
        event = index + datetime.timedelta(days=generator.randrange(30, 900)) if generator.random() < 0.4 else None
        rows.append(row(f"P{number}", index, D(2025, 6, 1), event=event, kind=generator.choice(["rearrest", "new_charge"]),
                        level=generator.choice(["rendah", "sedang", "tinggi"]), basis=generator.choice(["PB", "CB", "CMB"]),
                        status=generator.choice(["completed", "dropped", "not_enrolled"])))
    full = rates(rows)
    for months, kind, grouping in [(12, "any", "risk_level"), (24, "new_charge", "legal_basis"), (36, "rearrest", "cohort_quarter")]:
        chosen = rates(rows, windows=[months], kinds=[kind], groupings=[grouping])
        assert chosen and chosen == [r for r in full if (r["window_months"], r["event"], r["group_by"]) == (months, kind, grouping)]
    full_curves = recidivism.km_curves(rows)
    assert recidivism.km_curves(rows, kinds=["new_charge"]) == [c for c in full_curves if c["event"] == "new_charge"]


@pytest.mark.django_db
def test_the_page_shows_the_chosen_window_event_and_grouping(login, head, pk):
    _closed_with_event(pk, 12)
    _closed_with_event(pk, 12, event=False)
    response = login(head).get(reverse("reports:recidivism"), {"jendela": 24, "peristiwa": "rearrest", "kelompok": "legal_basis"})
    shown = response.context["rate_rows"]
    assert shown and {(r["window_months"], r["event"], r["group_by"]) for r in shown} == {(24, "rearrest", "legal_basis")}
    assert {r["event"] for r in response.context["km"]} == {"rearrest"}
    full = recidivism.statistics(recidivism.build_cohort(office_id=head.office_id, as_of=response.context["as_of"]))
    assert [{k: v for k, v in r.items() if k != "label"} for r in shown] == [
        r for r in full["rates"] if (r["window_months"], r["event"], r["group_by"]) == (24, "rearrest", "legal_basis")]


@pytest.mark.django_db
def test_the_page_names_events_groupings_and_groups_in_words_not_codes(login, head, pk):
    _closed_with_event(pk, 12)
    page = login(head).get(reverse("reports:recidivism"), {"peristiwa": "rearrest", "kelompok": "programme_status"}).content.decode()
    rates_table = page.split('data-testid="rates"', 1)[1].split("</table>", 1)[0]
    assert "Tidak ikut program" in rates_table and "not_enrolled" not in rates_table
    assert '<option value="rearrest" selected>Ditangkap kembali</option>' in page
    assert '<option value="programme_status" selected>Status program</option>' in page
    assert "(12 bulan, Ditangkap kembali)" in page and ", rearrest)" not in page
    km = json.loads(re.search(r'<script id="km-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    labels = {(curve["group_by"], curve["label"]) for curve in km}
    assert ("programme_status", "Tidak ikut program") in labels and ("all", "Semua") in labels
    assert ("risk_level", "Sedang") in labels or ("risk_level", "Belum diasesmen") in labels


@pytest.mark.django_db
def test_the_page_in_english(login, head, pk):
    _closed_with_event(pk, 12)
    head.language = "en"
    head.save(update_fields=["language"])
    page = login(head).get(reverse("reports:recidivism"), {"kelompok": "programme_status"}).content.decode()
    assert "Not in a programme" in page and "(12 months, Any event)" in page
    assert '<th class="text-end">Rate</th>' in page and '<th class="text-end">Events</th>' in page
