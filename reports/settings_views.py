"""The admin's workload settings: points per risk level and legal basis, hours per point, and each
officer's monthly hours and reductions."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.models import LEVELS
from bapas.access import require_office_admin
from bapas.audit import audit_log
from bapas.models import CASEWORKER_ROLES, User
from clients.models import LegalBasis

from .models import OfficerCapacity
from .workload import workload_model

CAPACITY_FIELDS = ["contracted_hours", "part_time_percent", "training_hours", "leave_hours", "other_duty_hours"]
LIMITS = {"contracted_hours": 300, "part_time_percent": 100, "training_hours": 300, "leave_hours": 300, "other_duty_hours": 300}


def _int(data, name, low, high, errors):
    try:
        value = int(data.get(name, ""))
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors.append(_("%(field)s harus angka %(low)s–%(high)s.") % {"field": name, "low": low, "high": high})
        return low
    return value


@login_required
@require_http_methods(["GET", "POST"])
def workload_settings(request: HttpRequest) -> HttpResponse:
    require_office_admin(request.user)
    model = workload_model(request.user.office_id)
    officers = list(User.objects.filter(office_id=request.user.office_id, role__in=CASEWORKER_ROLES, is_active=True)
                    .order_by("first_name", "username"))
    capacities = {c.officer_id: c for c in OfficerCapacity.objects.filter(officer__in=officers)}
    errors: list[str] = []
    if request.method == "POST":
        data = request.POST
        risk = {level: _int(data, f"risk|{level}", 0, 20, errors) for level in ["", *LEVELS]}
        basis = {code: _int(data, f"basis|{code}", 0, 20, errors) for code in LegalBasis.values}
        try:
            hours_per_point = Decimal(data.get("hours_per_point", ""))
        except InvalidOperation:
            hours_per_point = Decimal("0")
        if not Decimal("0.1") <= hours_per_point <= Decimal("20"):
            errors.append(_("Jam per poin harus 0,1–20."))
        litmas_points = _int(data, "litmas_points", 0, 40, errors)
        rows = {officer.pk: {field: _int(data, f"cap|{officer.pk}|{field}", 0, LIMITS[field], errors) for field in CAPACITY_FIELDS}
                for officer in officers}
        if not errors:
            with transaction.atomic():
                model.risk_points, model.basis_points, model.hours_per_point = risk, basis, hours_per_point
                model.litmas_points = litmas_points
                model.save()
                for officer_id, values in rows.items():
                    OfficerCapacity.objects.update_or_create(officer_id=officer_id, defaults=values)
                audit_log(actor=request.user, action="workload.update", obj=model, office=request.user.office,
                          detail={"risk": risk, "basis": basis, "hours_per_point": str(hours_per_point), "litmas_points": litmas_points})
            messages.success(request, _("Model beban kerja dan kapasitas disimpan."))
            return redirect("reports:workload_settings")
    rows = [(officer, [(field, getattr(capacities.get(officer.pk) or OfficerCapacity(), field)) for field in CAPACITY_FIELDS])
            for officer in officers]
    context = {"model": model, "levels": ["", *LEVELS], "bases": LegalBasis.values, "rows": rows, "errors": errors}
    return render(request, "reports/workload_settings.html", context)
