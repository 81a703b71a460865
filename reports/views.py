import hashlib
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.models import LEVELS
from bapas.access import require_office_role, require_supervisor
from bapas.audit import audit_log
from bapas.links import link
from bapas.models import CASEWORKER_ROLES, Role, User
from bapas.tasks import enqueue_after_commit
from clients import services as client_services
from clients.models import LegalBasis

from . import dashboard, recidivism, regional, services, trends, workload
from .forms import MonthForm, ReassignForm
from .models import MonthlyReport
from .tasks import generate_monthly_report

# Each risk level as a query-string value (the |urlencode filter's quoting) and as HTML text; the
# legal bases as HTML text.
RISK_QUERY = {level: quote(level) for level in LEVELS}
_LEVEL_HTML = {level: escape(level) for level in LEVELS}
_BASIS_HTML = {basis: escape(basis) for basis in LegalBasis.values}


@login_required
def caseload_dashboard(request: HttpRequest) -> HttpResponse:
    """Per officer: active clients by risk and legal basis, and what is slipping. Supervisors and
    heads see their office; a PK sees only their own row; other roles nothing."""
    user = request.user
    require_office_role(user, {Role.SUPERVISOR, Role.HEAD, Role.PK, Role.APK}, _("Dasbor beban kerja untuk Kasi/Kasubsi, Kabapas dan PK."))
    own_only = user.is_caseworker
    rows = dashboard.officer_rows(office_id=user.office_id, today=timezone.localdate(), only_user=user if own_only else None)
    load = workload.officer_load(office_id=user.office_id)
    for row in rows:
        row.update(load.get(row["pk"], {"points": 0, "litmas": 0, "capacity_points": 0, "percent": None}))
        row["percent_sort"] = row["percent"] if row["percent"] is not None else -1
    order = request.GET.get("urut", "-contact_overdue")
    rows = dashboard.sort_rows(rows, order)
    _add_row_cells(rows)
    context = {"rows": rows, "totals": dashboard.totals(rows), "levels": LEVELS, "bases": LegalBasis.values,
               "order": order, "own_only": own_only, "follow_ups_url": reverse("programs:follow_ups"),
               "can_reassign": user.is_supervisor,
               "stranded": [] if own_only else dashboard.stranded_cases(office_id=user.office_id)}
    return render(request, "reports/caseload_dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def caseload_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor moves many of one PK's active cases at once, when the PK leaves or carries too
    much: choose the PKs to take them and how many; the page shows the plan (who gets which case and
    each PK's load after); a second press carries it out. Should the office's caseloads change between
    the two, the changed plan is shown again instead of being carried out unseen."""
    require_supervisor(request.user)
    # A PK of the office, or anyone of it still holding cases (deactivated, or given another role).
    holders = User.objects.filter(office_id=request.user.office_id).filter(
        Q(role__in=CASEWORKER_ROLES) | Q(supervisions__closed_on__isnull=True, supervisions__office_id=request.user.office_id))
    source = get_object_or_404(holders.distinct(), pk=pk)
    areas = workload.cases_by_area(source)
    loads = workload.officer_load(office_id=source.office_id)
    form = ReassignForm(request.POST or None, source=source, areas=areas)
    plan, signature = None, ""
    if request.method == "POST" and form.is_valid():
        plan = workload.spread_plan(source=source, targets=list(form.cleaned_data["targets"]), count=form.cleaned_data["count"],
                                    area=form.cleaned_data["area"], load=loads)
        signature = _plan_signature(plan["moves"])
        if "confirm" in request.POST:
            if request.POST.get("signature") == signature:
                moved = client_services.supervisions_reassign(
                    by=request.user, source=source, moves=[(case.pk, officer) for case, officer in plan["moves"]],
                    reason=form.cleaned_data["reason"])
                messages.success(request, _("%(n)d kasus %(pk)s dialihkan.") % {"n": moved, "pk": source})
                return redirect("reports:caseload")
            messages.warning(request, _("Beban kerja kantor berubah sejak rencana dibuat. Periksa rencana baru ini, lalu alihkan."))
    targets = [(choice, loads.get(choice.data["value"].value, {}).get("percent")) for choice in form["targets"]]
    context = {"source": source, "active": sum(areas.values()), "form": form, "targets": targets, "plan": plan,
               "signature": signature}
    return render(request, "reports/caseload_reassign.html", context)


def _plan_signature(moves) -> str:
    return hashlib.sha256(";".join(f"{case.pk}:{officer.pk}" for case, officer in moves).encode()).hexdigest()


def _add_row_cells(rows: list[dict]) -> None:
    """Each officer's link to their caseload, and the risk and legal-basis cells, made here: as
    template loops with a {% url %} per figure they took longer than the page's queries."""
    clients_url = reverse("clients:list")
    reassign_url = link("reports:reassign")
    for row in rows:
        row["clients_url"] = f"{clients_url}?officer={row['pk']}"
        row["reassign_url"] = reassign_url(row["pk"])
        row["risk_cell"] = _risk_cell(row["clients_url"], row["risk_pairs"])
        row["basis_cell"] = mark_safe("".join(
            f'<span class="me-1 text-nowrap">{_BASIS_HTML[basis]} {n}</span>' for basis, n in row["basis"].items() if n
        ))


def _risk_cell(officer_url: str, risk_pairs: list) -> str:
    """The counts by risk level, "n / n / n / n", each above zero linking to the officer's clients at
    that level. Put together from text escaped beforehand (the counts are integers): format_html per
    figure cost a millisecond on a 25-officer office."""
    url = escape(officer_url)
    return mark_safe(" / ".join(
        f'<a href="{url}&risk={RISK_QUERY[level]}" title="{_LEVEL_HTML[level]}">{n}</a>' if n else "0"
        for level, n in risk_pairs
    ))


@login_required
def head_dashboard(request: HttpRequest) -> HttpResponse:
    """Office level for the head (and supervisors): the officers' table totals and twelve months of trends."""
    user = request.user
    require_office_role(user, {Role.SUPERVISOR, Role.HEAD}, _("Dasbor kantor untuk Kabapas dan Kasi/Kasubsi."))
    today = timezone.localdate()
    rows = dashboard.officer_rows(office_id=user.office_id, today=today)
    data = trends.office_trends(office_id=user.office_id, today=today)
    chart = {
        "labels": data["labels"],
        "intakes": data["intakes"],
        "closures": {str(trends.CLOSURE_LABELS[key]): values for key, values in data["closures"].items()},
        "revocation_proposals": data["revocation_proposals"],
        "contacts_done": data["contacts_done"],
        "contacts_required": data["contacts_required"],
        "assessments_done": data["assessments_done"],
        "names": {"intakes": _("Klien masuk"), "revocation_proposals": _("Usulan pencabutan"),
                  "contacts_done": _("Kontak dilakukan"), "contacts_required": _("Kontak diwajibkan"),
                  "assessments_done": _("Asesmen selesai")},
    }
    context = {"totals": dashboard.totals(rows), "officers": len(rows), "chart": chart, "levels": LEVELS}
    return render(request, "reports/head_dashboard.html", context)


@login_required
def regional_recap(request: HttpRequest) -> HttpResponse:
    """For a Kanwil account: one row of figures per office of its region, and the region's totals; for a
    national account, every office, with each region's subtotal."""
    if not request.user.reads_recap:
        raise PermissionDenied(_("Rekap wilayah untuk akun Kanwil dan Ditjenpas."))
    rows = regional.office_rows(list(regional.region_offices(request.user)))
    national = request.user.role == Role.NATIONAL
    context = {"rows": rows, "totals": regional.totals(rows), "national": national,
               "region": _("Nasional") if national else request.user.region,
               "regions": regional.by_region(rows) if national else []}
    return render(request, "reports/regional.html", context)


REPORT_ROLES = {Role.SUPERVISOR, Role.HEAD, Role.ADMIN}


def _require_report_role(user):
    require_office_role(user, REPORT_ROLES, _("Laporan bulanan untuk Kasi/Kasubsi, Kabapas dan admin kantor."))


@login_required
@require_http_methods(["GET", "POST"])
def monthly_reports(request: HttpRequest) -> HttpResponse:
    """The archive of the office's monthly reports, and generating any month on demand."""
    _require_report_role(request.user)
    form = MonthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = services.request_report(office=request.user.office, month=form.cleaned_data["month"], by=request.user)
        enqueue_after_commit(generate_monthly_report, report.pk, request.user.pk)
        return redirect("reports:monthly_detail", pk=report.pk)
    archive = Paginator(MonthlyReport.objects.filter(office_id=request.user.office_id).select_related("generated_by"), 24)
    return render(request, "reports/monthly_list.html", {"form": form, "page": archive.get_page(request.GET.get("page"))})


def _report_get(user, pk) -> MonthlyReport:
    return get_object_or_404(MonthlyReport.objects.filter(office_id=user.office_id).select_related("office", "generated_by", "layout"),
                             pk=pk)


@login_required
def monthly_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's page; htmx polls the progress partial until the row says done."""
    _require_report_role(request.user)
    report = _report_get(request.user, pk)
    template = "reports/_monthly_progress.html" if request.htmx else "reports/monthly_detail.html"
    return render(request, template, {"report": report})


@login_required
def monthly_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    _require_report_role(request.user)
    report = _report_get(request.user, pk)
    if fmt not in services.FORMATS or not getattr(report, fmt):
        raise Http404
    audit_log(actor=request.user, action="monthly_report.download", obj=report, office=report.office, detail={"format": fmt})
    content_types = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "application/zip",
                     "pdf": "application/pdf"}
    extension = "zip" if fmt == "csv" else fmt
    return FileResponse(getattr(report, fmt).open("rb"), as_attachment=True, content_type=content_types[fmt],
                        filename=f"laporan-bulanan-{report.office.code}-{report.month:%Y-%m}.{extension}")


ANALYTICS_ROLES = {Role.SUPERVISOR, Role.HEAD}
MIN_AUC_PEOPLE, MIN_AUC_EVENTS = 50, 10


def _require_analytics_role(user):
    require_office_role(user, ANALYTICS_ROLES, _("Analitik residivisme untuk Kasi/Kasubsi dan Kabapas."))


@login_required
def recidivism_analytics(request: HttpRequest) -> HttpResponse:
    """Does guidance work here? Rates by group with intervals, survival curves, and the instrument's validity."""
    _require_analytics_role(request.user)
    today = timezone.localdate()
    rows = recidivism.build_cohort(office_id=request.user.office_id, as_of=today)
    window = int(request.GET.get("jendela", 12)) if request.GET.get("jendela", "12") in {"12", "24", "36"} else 12
    event = request.GET.get("peristiwa", "any") if request.GET.get("peristiwa", "any") in recidivism.EVENT_KINDS else "any"
    grouping = request.GET.get("kelompok", "risk_level") if request.GET.get("kelompok") in recidivism.GROUPINGS else "risk_level"
    # Only the figures shown: the chosen window, event and grouping, and the chosen event's curves.
    rate_rows = [dict(r, label=recidivism.group_label(grouping, r["group"]))
                 for r in recidivism.rates(rows, windows=[window], kinds=[event], groupings=[grouping])]
    km = [dict(curve, label=recidivism.group_label(curve["group_by"], curve["group"]))
          for curve in recidivism.km_curves(rows, kinds=[event])]
    aucs, calibration = recidivism.validity(rows)
    auc_rows = [dict(a, enough=a["n"] >= MIN_AUC_PEOPLE and a["events"] >= MIN_AUC_EVENTS) for a in aucs]
    context = {
        "people": len({r.person_id for r in rows}), "indexes": len(rows), "as_of": today,
        "rate_rows": rate_rows, "min_group": recidivism.MIN_GROUP, "window": window, "event": event, "grouping": grouping,
        "event_label": recidivism.EVENT_LABELS[event], "windows": recidivism.WINDOWS,
        "events": list(recidivism.EVENT_LABELS.items()), "groupings": list(recidivism.GROUPING_LABELS.items()),
        "km": km, "auc": auc_rows, "calibration": calibration, "min_auc": (MIN_AUC_PEOPLE, MIN_AUC_EVENTS),
    }
    return render(request, "reports/recidivism.html", context)


@login_required
def recidivism_cohort_csv(request: HttpRequest) -> HttpResponse:
    _require_analytics_role(request.user)
    today = timezone.localdate()
    rows = recidivism.build_cohort(office_id=request.user.office_id, as_of=today)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kohort-residivisme-{request.user.office.code}-{today:%Y%m%d}.csv"'
    recidivism.write_cohort_csv(rows, response)
    audit_log(actor=request.user, action="recidivism.cohort_export", office=request.user.office,
              detail={"rows": len(rows), "as_of": today.isoformat()})
    return response
