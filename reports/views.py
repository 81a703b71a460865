from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import LEVELS
from bapas.models import Role
from clients.models import LegalBasis

from . import dashboard, trends, workload


@login_required
def caseload_dashboard(request: HttpRequest) -> HttpResponse:
    """Per officer: active clients by risk and legal basis, and what is slipping. Supervisors and
    heads see their office; a PK sees only their own row; other roles nothing."""
    user = request.user
    if user.office_id is None or user.role not in {Role.SUPERVISOR, Role.HEAD, Role.PK, Role.APK}:
        raise PermissionDenied(_("Dasbor beban kerja untuk Kasi/Kasubsi, Kabapas dan PK."))
    own_only = user.is_caseworker
    rows = dashboard.officer_rows(office_id=user.office_id, today=timezone.localdate(), only_user=user if own_only else None)
    load = workload.officer_load(office_id=user.office_id)
    for row in rows:
        row.update(load.get(row["pk"], {"points": 0, "capacity_points": 0, "percent": None}))
        row["percent_sort"] = row["percent"] if row["percent"] is not None else -1
    order = request.GET.get("urut", "-contact_overdue")
    rows = dashboard.sort_rows(rows, order)
    context = {"rows": rows, "totals": dashboard.totals(rows), "levels": LEVELS, "bases": LegalBasis.values,
               "order": order, "own_only": own_only}
    return render(request, "reports/caseload_dashboard.html", context)


@login_required
def head_dashboard(request: HttpRequest) -> HttpResponse:
    """Office level for the head (and supervisors): the officers' table totals and twelve months of trends."""
    user = request.user
    if user.office_id is None or user.role not in {Role.SUPERVISOR, Role.HEAD}:
        raise PermissionDenied(_("Dasbor kantor untuk Kabapas dan Kasi/Kasubsi."))
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
