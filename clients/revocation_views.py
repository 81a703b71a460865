"""The revocation (pencabutan) pages: starting a case from a violation, and one page per case that
shows its steps so far and, to the role whose act comes next, the form for the next step."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bapas.access import require_client_writer
from bapas.audit import audit_log
from bapas.concurrency import save_from_form
from bapas.links import safe_next
from bapas.models import Role
from bapas.tpp import hearing_initial

from . import revocation, selectors
from .forms import (
    RevocationCourtDecideForm,
    RevocationCourtSendForm,
    RevocationDecideForm,
    RevocationSendForm,
    RevocationStartForm,
    RevocationSuspendForm,
    RevocationTppForm,
)
from .models import RevocationStage


def _tpp(by, case, data, version):
    return revocation.revocation_tpp(by=by, revocation=case, tpp_date=data["tpp_date"], tpp_number=data["tpp_number"],
                                     recommends=data["recommends"] == "yes", notes=data["notes"], expected_version=version)


def _suspend(by, case, data, version):
    return revocation.revocation_suspend(by=by, revocation=case, suspended_on=data["suspended_on"],
                                         suspension_number=data["suspension_number"], expected_version=version)


def _send(by, case, data, version):
    return revocation.revocation_send(by=by, revocation=case, sent_on=data["sent_on"], sent_letter_number=data["sent_letter_number"],
                                      sent_to=data["sent_to"], expected_version=version)


def _decide(by, case, data, version):
    return revocation.revocation_decide(by=by, revocation=case, decided_on=data["decided_on"], decision_number=data["decision_number"],
                                        revoked=data["revoked"] == "yes", expected_version=version)


@dataclass(frozen=True)
class Step:
    """The step a case at some stage waits for: its form, whose act it is, the write, what to say after."""

    form: type
    roles: frozenset
    write: object  # (by, case, cleaned data, expected version) -> the case
    done: str


STEPS = {
    RevocationStage.REPORTED: Step(RevocationTppForm, frozenset({Role.SUPERVISOR}), _tpp, gettext_lazy("Hasil sidang TPP dicatat.")),
    RevocationStage.TPP_RECOMMENDED: Step(RevocationSuspendForm, frozenset({Role.HEAD, Role.SUPERVISOR}), _suspend,
                                          gettext_lazy("Pencabutan sementara dicatat.")),
    RevocationStage.SUSPENDED: Step(RevocationSendForm, frozenset({Role.SUPERVISOR, Role.HEAD}), _send,
                                    gettext_lazy("Pengusulan dicatat.")),
    RevocationStage.SENT: Step(RevocationDecideForm, frozenset({Role.SUPERVISOR}), _decide, gettext_lazy("Keputusan dicatat.")),
}
# A court's sentence: no suspension; after the TPP the consideration goes to the jaksa, then the court decides.
COURT_STEPS = {
    RevocationStage.REPORTED: STEPS[RevocationStage.REPORTED],
    RevocationStage.TPP_RECOMMENDED: Step(RevocationCourtSendForm, frozenset({Role.SUPERVISOR, Role.HEAD}), _send,
                                          gettext_lazy("Surat pertimbangan ke jaksa dicatat.")),
    RevocationStage.SENT: Step(RevocationCourtDecideForm, frozenset({Role.SUPERVISOR}), _decide,
                               gettext_lazy("Putusan pengadilan dicatat.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def revocation_start(request: HttpRequest, pk: int) -> HttpResponse:
    """From a violation: the PK's report with its berita acara starts the case."""
    violation = selectors.violation_get(user=request.user, pk=pk)
    require_client_writer(request.user)
    if hasattr(violation, "revocation"):
        return redirect("clients:revocation_detail", pk=violation.revocation.pk)
    form = RevocationStartForm(request.POST or None, initial={"report_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if save_from_form(form, lambda: revocation.revocation_start(by=request.user, violation=violation, **form.cleaned_data)) is None:
            messages.success(request, _("Usulan pencabutan dimulai; menunggu sidang TPP."))
            return redirect("clients:revocation_detail", pk=form.saved.pk)
    context = {"client": violation.supervision.client, "violation": violation, "form": form}
    return render(request, "clients/revocation_start.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def revocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.revocation_get(user=request.user, pk=pk)
    step = (COURT_STEPS if case.by_court else STEPS).get(case.stage)
    may_act = step is not None and request.user.role in step.roles
    form = step.form(request.POST or None, initial={**_initial(step, case), **hearing_initial(request.GET)}) if may_act else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Langkah ini bukan wewenang peran Anda."))
        if form.is_valid():
            data = form.cleaned_data
            status = save_from_form(form, lambda: step.write(request.user, case, data, data["version"]))
            if status is None:
                messages.success(request, step.done)
                # Decided from the TPP agenda: back to it, for the hearing's next item.
                return redirect(safe_next(request, request.POST.get("next"), reverse("clients:revocation_detail", args=[case.pk])))
    else:
        audit_log(actor=request.user, action="revocation.view", obj=case, office=case.supervision.office,
                  detail={"client": case.supervision.client_id})
    context = {"case": case, "client": case.supervision.client, "supervision": case.supervision, "violation": case.violation,
               "form": form, "waiting_for": _waiting_for(step) if step and not may_act else ""}
    return render(request, "clients/revocation_detail.html", context, status=status)


def _initial(step: Step, case) -> dict:
    """The version the form was opened at, and today in its date field (most steps are recorded the day they happen)."""
    dates = {name: timezone.localdate() for name, field in step.form.base_fields.items() if isinstance(field, forms.DateField)}
    return {"version": case.version, **dates}


def _waiting_for(step: Step) -> str:
    names = {Role.SUPERVISOR: _("Kasi/Kasubsi"), Role.HEAD: _("Kabapas")}
    return " / ".join(str(names[role]) for role in sorted(step.roles) if role in names)
