"""The benchmark: builds the dataset at 1× and then 10×, and for each key page and job measures the
query count, median and p95 server time, the SQL floor (the same statements run alone), and peak
memory for jobs. Not a test: `make bench` runs it against PostgreSQL and writes var/bench/latest.json.
It also measures an empty signed-in page with the layout ("empty_page"): the part of every page's
time that comes before the page's own work."""

import json
import statistics
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection, reset_queries, transaction
from django.shortcuts import render
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path, reverse
from django.utils import timezone

from assessments.models import Assessment, Litmas, LitmasStatus
from bapas.models import Office, User
from bapas.reminders import sweep
from clients.models import Supervision
from programs.models import Programme

from . import monthly, regional
from .dataset import generate
from .services import render_formats

OFFICE_PAGES = {"supervisor_today", "supervisor_dashboard", "head_dashboard", "analytics", "litmas_register", "regional_recap"}


def _targets() -> dict:
    """The pages to measure, chosen from the first generated office so both scales hit the same rows."""
    pk = User.objects.filter(username__startswith="g001.pk").order_by("pk").first()
    # A client with a finished assessment, so the result page is measured too.
    supervision = (Supervision.objects.filter(officer=pk, closed_on__isnull=True, assessments__status="final")
                   .order_by("pk").first())
    assessment = Assessment.objects.filter(supervision=supervision, status="final").order_by("pk").first()
    programme = max(Programme.objects.filter(office=pk.office), key=lambda p: p.enrolments.count())
    programme.facilitator_officer = pk
    programme.save(update_fields=["facilitator_officer"])
    litmas = Litmas.objects.filter(officer=pk, status=LitmasStatus.APPROVED).order_by("pk").first()
    supervisor = User.objects.get(username="g001.supervisor")
    head = User.objects.get(username="g001.head")
    return {
        "caseload_list": (pk, reverse("clients:list")),
        "client_detail": (pk, reverse("clients:detail", args=[supervision.client_id])),
        "client_timeline": (pk, reverse("clients:timeline", args=[supervision.client_id])),
        "session_logging": (pk, reverse("programs:session_log", args=[programme.pk])),
        "officer_today": (pk, reverse("bapas:today")),
        "supervisor_today": (supervisor, reverse("bapas:today")),
        "supervisor_dashboard": (supervisor, reverse("reports:caseload")),
        "head_dashboard": (head, reverse("reports:office")),
        "assessment_result": (pk, reverse("assessments:detail", args=[assessment.pk])),
        "analytics": (head, reverse("reports:recidivism")),
        "litmas_detail": (pk, reverse("litmas:detail", args=[litmas.pk])),
        "litmas_register": (supervisor, reverse("litmas:list")),
        "regional_recap": (User.objects.get(username="kanwil1"), reverse("reports:regional")),
    }


def _measure_pages(targets: dict, requests: int, rounds: int = 3) -> dict:
    """Each page's query count, its requests' median and p95, and its SQL floor. The requests go in
    rounds over all the pages rather than page after page, so a passing slowdown of the machine
    (this is a shared 2-core one) spreads over the pages instead of landing on one of them."""
    clients, queries = {}, {}
    for name, (user, url) in targets.items():
        client = clients[name] = Client()
        client.force_login(user)
        client.get(url)  # warm caches and the connection
        # The request_started signal empties the query log; start from an empty log so the count is right.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        # Read now: captured_queries slices the live log, which the next requests empty.
        queries[name] = list(captured.captured_queries)
    timings = {name: [] for name in targets}
    for _ in range(rounds):
        for name, (_user, url) in targets.items():
            for _ in range(-(-requests // rounds)):
                started = time.perf_counter()
                response = clients[name].get(url)
                timings[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
    return {name: {"queries": len(queries[name]), "median_ms": statistics.median(timings[name]),
                   "p95_ms": sorted(timings[name])[max(0, int(len(timings[name]) * 0.95) - 1)],
                   "floor_ms": _floor(queries[name])}
            for name in targets}


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def _floor(queries, replays: int = 7) -> float:
    """The page's own SQL statements, replayed alone: the least the page could cost. Its writes (the
    audit entry of a client's file) are statements of the page too, so all are replayed, in one
    transaction as the request does, rolled back so they leave nothing behind. The median of several
    replays, as the page's time is a median: one replay of a few milliseconds varies by a third."""
    statements = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)]
    timings = []
    for _ in range(replays):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
            transaction.set_rollback(True)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _measure_job(func, runs: int = 3, setup=lambda: None) -> dict:
    """Time from plain runs; the peak from one more run under tracemalloc, which slows Python down
    several times and would otherwise inflate the timings."""
    timings, counts = [], 0
    for _ in range(runs):
        setup()
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            func()
            timings.append((time.perf_counter() - started) * 1000)
        counts = len(list(captured.captured_queries))
    setup()
    tracemalloc.start()
    try:
        func()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    return {"queries": counts, "median_ms": statistics.median(timings), "p95_ms": max(timings), "floor_ms": None,
            "peak_mb": peak}


def _monthly_report(code: str):
    """The monthly report of one office, built and rendered in all three formats."""
    from bapas.models import Office

    office = Office.objects.get(code=code)
    month = timezone.localdate().replace(day=1)
    return lambda: render_formats(office, month, monthly.build(office, month))


def _forget_notifications():
    """Each timed sweep starts from an empty table: the worst case, every notice is new."""
    from bapas.models import Notification

    Notification.objects.all().delete()


@login_required
def _empty_page(request):
    return render(request, "base.html")


class _UrlsWithEmptyPage:
    """The project's URLs plus a signed-in page with the layout and nothing else: what every page
    pays before its own work (session, user, the bell's count, the menu). Only the benchmark serves it."""

    urlpatterns = [path("bench/empty/", _empty_page), path("", include(settings.ROOT_URLCONF))]


def measure_scale(requests: int, report_office: str) -> dict:
    targets = _targets()
    targets["empty_page"] = (targets["caseload_list"][0], "/bench/empty/")
    with override_settings(ROOT_URLCONF=_UrlsWithEmptyPage):
        results = {name: {"kind": "page", **measured} for name, measured in _measure_pages(targets, requests).items()}
    results["daily_sweep"] = {"kind": "job", **_measure_job(sweep, setup=_forget_notifications)}
    # The big office (--report-office-size clients) and an ordinary one: the peak must not follow the size.
    results["monthly_report"] = {"kind": "job", **_measure_job(_monthly_report(report_office), runs=2)}
    results["monthly_report_g001"] = {"kind": "job", **_measure_job(_monthly_report("G001"), runs=2)}
    # The national recap counts every office's rows: measured as a job, as its cost follows the country's data.
    results["national_recap"] = {"kind": "job", **_measure_job(_national_recap, runs=2)}
    return results


def _national_recap():
    return regional.office_rows(list(Office.objects.order_by("region", "name")))


def _analyze():
    """Planner statistics and visibility map after a bulk load, as autovacuum keeps them on a live
    database (VACUUM cannot run inside the smoke test's transaction; ANALYZE can)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute("ANALYZE")
            else:
                cursor.execute("VACUUM ANALYZE")
                # Write the load's pages out now, not while the pages are being timed (a database
                # user without the right to checkpoint measures without it).
                try:
                    cursor.execute("CHECKPOINT")
                except DatabaseError:
                    pass


def run(*, base_scale: float, factor: int, requests: int, seed: int, out: Path, report_office_size: int = 5000,
        progress=print) -> list[dict]:
    from bapas.models import Office

    settings.DEBUG = False
    progress(f"building scale {base_scale} and one office of {report_office_size} clients")
    generate(scale=base_scale, seed=seed, progress=lambda line: None)
    generate(scale=0, seed=seed, office_size=report_office_size, progress=lambda line: None)
    report_office = Office.objects.filter(code__startswith="G").order_by("-pk").values_list("code", flat=True)[0]
    _analyze()
    small = measure_scale(requests, report_office)
    progress(f"building scale {base_scale * factor}")
    generate(scale=base_scale * (factor - 1), seed=seed + 1, progress=lambda line: None)
    _analyze()
    large = measure_scale(requests, report_office)
    rows = []
    for name, one in small.items():
        ten = large[name]
        row = {"name": name, "kind": one["kind"], "queries_1x": one["queries"], "queries_10x": ten["queries"],
               "median_ms_1x": round(one["median_ms"], 2), "median_ms_10x": round(ten["median_ms"], 2),
               "p95_ms_1x": round(one["p95_ms"], 2), "p95_ms_10x": round(ten["p95_ms"], 2),
               "floor_ms_10x": round(ten["floor_ms"], 2) if ten["floor_ms"] is not None else None,
               "ratio_10x_1x": round(ten["median_ms"] / one["median_ms"], 2) if one["median_ms"] else None,
               "ratio_floor": round(ten["median_ms"] / ten["floor_ms"], 2) if ten.get("floor_ms") else None}
        if one["kind"] == "job":
            row["peak_mb_1x"], row["peak_mb_10x"] = round(one["peak_mb"], 1), round(ten["peak_mb"], 1)
        rows.append(row)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2))
    return rows


def targets_missed(row: dict) -> list[str]:
    """The page targets a row misses: the same query count at both scales, 10x within 1.2x of 1x
    (1.5x for an office's pages) and within 3x of the SQL floor."""
    if row["kind"] != "page" or row["name"] == "empty_page":
        return []
    missed = []
    if row["queries_1x"] != row["queries_10x"]:
        missed.append("queries")
    if row["ratio_10x_1x"] and row["ratio_10x_1x"] > (1.5 if row["name"] in OFFICE_PAGES else 1.2):
        missed.append("10x")
    if row["ratio_floor"] and row["ratio_floor"] > 3:
        missed.append("floor")
    return missed


def table(rows: list[dict]) -> str:
    head = (f"{'name':22} {'q1x':>5} {'q10x':>5} {'med1x':>8} {'med10x':>8} {'p95_10x':>8} {'floor':>8} {'10x/1x':>7} {'/floor':>7} "
            f"{'peakMB':>7}  missed")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['name']:22} {r['queries_1x']:>5} {r['queries_10x']:>5} {r['median_ms_1x']:>8} {r['median_ms_10x']:>8} "
                     f"{r['p95_ms_10x']:>8} {str(r['floor_ms_10x']):>8} {str(r['ratio_10x_1x']):>7} {str(r['ratio_floor']):>7} "
                     f"{str(r.get('peak_mb_10x', '')):>7}  {','.join(targets_missed(r))}")
    return "\n".join(lines)
