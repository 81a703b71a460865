from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import LEVELS
from bapas.models import Role
from clients.models import LegalBasis

from . import dashboard, workload


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
