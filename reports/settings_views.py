"""The admin's report settings: workload points per risk level and legal basis, hours per point and
each officer's monthly hours and reductions; and the monthly report's layout."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.models import LEVELS
from bapas.access import require_office_admin
from bapas.audit import audit_log
from bapas.concurrency import StaleEdit, check_digest, digest, fingerprint
from bapas.models import CASEWORKER_ROLES, User
from clients.models import LegalBasis

from .layouts import current_layout, layout_publish
from .models import OfficerCapacity, ReportLayout
from .monthly import SECTIONS, shipped_layout
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


WORKLOAD_FIELDS = ["risk_points", "basis_points", "hours_per_point", "litmas_points"]


def _stored_hours(officers) -> dict[int, dict]:
    """Each officer's hours as stored (the shipped ones for an officer with none yet), in one query."""
    stored = {c.officer_id: c for c in OfficerCapacity.objects.filter(officer__in=officers)}
    return {officer.pk: {field: getattr(stored.get(officer.pk) or OfficerCapacity(), field) for field in CAPACITY_FIELDS}
            for officer in officers}


@login_required
@require_http_methods(["GET", "POST"])
def workload_settings(request: HttpRequest) -> HttpResponse:
    require_office_admin(request.user)
    model = workload_model(request.user.office_id)
    if request.method == "POST":
        # Locked until the request's transaction ends: two admins saving at once go one after the
        # other, and the second is refused unless it was opened on what the first saved.
        model = type(model).objects.select_for_update().get(pk=model.pk)
    officers = list(User.objects.filter(office_id=request.user.office_id, role__in=CASEWORKER_ROLES, is_active=True)
                    .order_by("first_name", "username"))
    hours = _stored_hours(officers)
    # What the page shows, as a version: the points and every officer's hours.
    stored_digest = digest([fingerprint(model, WORKLOAD_FIELDS), hours])
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        data = request.POST
        try:
            check_digest(data.get("fingerprint"), stored_digest)
        except StaleEdit as stale:
            errors.append(stale.message)
            status = 409
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
    # After an error the page shows what the admin typed, not what is stored: nothing typed is lost.
    shown = request.POST if errors else None

    def value(name, stored):
        return shown.get(name, "") if shown is not None else stored

    rows = [(officer, [(field, value(f"cap|{officer.pk}|{field}", hours[officer.pk][field])) for field in CAPACITY_FIELDS])
            for officer in officers]
    context = {"levels": [(level, value(f"risk|{level}", model.risk_points.get(level, ""))) for level in ["", *LEVELS]],
               "bases": [(code, value(f"basis|{code}", model.basis_points.get(code, ""))) for code in LegalBasis.values],
               "hours_per_point": value("hours_per_point", str(model.hours_per_point)),
               "litmas_points": value("litmas_points", model.litmas_points), "rows": rows, "errors": errors,
               # After a refusal the page keeps the version it was opened at, so sending it again is refused again.
               "fingerprint": request.POST.get("fingerprint") if status == 409 else stored_digest}
    return render(request, "reports/workload_settings.html", context, status=status)


def _posted_layout(data, errors: list[str]) -> list[dict]:
    """The sections ticked, in the order their numbers give (ties in the shipped order), with their titles."""
    chosen = []
    for index, key in enumerate(SECTIONS):
        if not data.get(f"include|{key}"):
            continue
        try:
            order = int(data.get(f"order|{key}", ""))
        except ValueError:
            order = 0
        if not 1 <= order <= 99:
            errors.append(_("Urutan bagian “%(section)s” harus angka 1–99.") % {"section": SECTIONS[key].title})
        chosen.append((order, index, {"key": key, "title": data.get(f"title|{key}", "")}))
    return [entry for _order, _index, entry in sorted(chosen, key=lambda item: item[:2])]


def _layout_rows(sections: list[dict], data=None) -> list[dict]:
    """A row per section the report can hold: those in the layout first, in its order, then the others,
    numbered on after them (ticking one adds it at the end)."""
    sections = [entry for entry in sections if entry["key"] in SECTIONS]  # none this version no longer has
    position = {entry["key"]: (number, entry["title"]) for number, entry in enumerate(sections, 1)}
    left_out = [key for key in SECTIONS if key not in position]
    position.update({key: (number, "") for number, key in enumerate(left_out, len(sections) + 1)})
    rows = []
    for key in [entry["key"] for entry in sections] + left_out:
        number, title = position[key]
        if data is not None:  # shown again after an error: what the admin posted
            number, title = data.get(f"order|{key}", ""), data.get(f"title|{key}", "")
        rows.append({"key": key, "shipped_title": SECTIONS[key].title, "title": title, "order": number,
                     "included": bool(data.get(f"include|{key}")) if data is not None else key not in left_out})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def report_layout_settings(request: HttpRequest) -> HttpResponse:
    """The monthly report's sections, their order and titles: each save a new version of the layout."""
    require_office_admin(request.user)
    layout = current_layout(request.user.office_id)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        sections = shipped_layout() if request.POST.get("shipped") else _posted_layout(request.POST, errors)
        if not errors:
            try:
                expected = _int(request.POST, "expected_number", 1, 10**9, [])
                new = layout_publish(by=request.user, office_id=request.user.office_id, sections=sections, expected_number=expected)
            except StaleEdit as stale:
                errors.append(stale.message)
                status = 409
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(request, _("Susunan laporan versi %(n)s berlaku untuk laporan yang dibuat sesudah ini.")
                                 % {"n": new.number})
                return redirect("reports:layout_settings")
    context = {
        # After a refusal because someone saved in between, the form keeps the version it was opened at:
        # sending it again is refused again until the page is loaded afresh with their change.
        "layout": layout, "errors": errors, "expected_number": request.POST.get("expected_number") if status == 409 else layout.number,
        "rows": _layout_rows(layout.sections, request.POST if errors and not request.POST.get("shipped") else None),
        "versions": ReportLayout.objects.filter(office_id=request.user.office_id).select_related("created_by")[:10],
    }
    return render(request, "reports/layout_settings.html", context, status=status)
