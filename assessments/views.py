from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bapas.access import require_client_writer as _require_writer
from bapas.access import require_office_role
from bapas.audit import audit_log
from bapas.concurrency import StaleEdit
from bapas.links import safe_next
from bapas.models import Role
from bapas.tpp import hearing_initial, hearing_query
from clients.selectors import supervision_get

from . import agenda, plans, selectors, services
from .engine import ScoringError, score, top_needs
from .forms import ApproveForm, AssessmentMetaForm, GoalForm, HearingForm, StartForm, answers_from_post
from .layout import form_sections
from .models import CasePlan, GoalStatus


@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = supervision_get(user=request.user, pk=pk)
    _require_writer(request.user)
    form = StartForm(request.POST or None, versions=selectors.usable_versions())
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                by=request.user, supervision=supervision, version=form.cleaned_data["version"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("assessments:edit", pk=assessment.pk)
    return render(request, "assessments/start.html", {"supervision": supervision, "client": supervision.client, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    if assessment.is_final:
        return redirect("assessments:detail", pk=assessment.pk)
    _require_writer(request.user)
    definition = assessment.definition
    initial = {"assessed_on": assessment.assessed_on, "responsivity": assessment.responsivity,
               "responsivity_notes": assessment.responsivity_notes, "row_version": assessment.row_version}
    meta = AssessmentMetaForm(request.POST or None, initial=initial)
    answers = answers_from_post(definition, request.POST) if request.method == "POST" else assessment.answers
    status = 200
    if request.method == "POST" and meta.is_valid():
        data = meta.cleaned_data
        try:
            assessment = services.assessment_save_draft(
                by=request.user, assessment=assessment, answers=answers, responsivity=data["responsivity"],
                notes=data["responsivity_notes"], assessed_on=data["assessed_on"], expected_version=data["row_version"],
            )
            if request.POST.get("action") == "finalise":
                assessment = services.assessment_finalise(
                    by=request.user, assessment=assessment, expected_version=assessment.row_version,
                    override_level=data["override_level"], override_reason=data["override_reason"],
                )
                messages.success(request, _("Asesmen difinalkan."))
                return redirect("assessments:detail", pk=assessment.pk)
        except StaleEdit as stale:
            meta.add_error(None, stale.message)
            status = 409
        except ValidationError as error:
            meta.add_error(None, error)
            meta.data = meta.data.copy()
            meta.data["row_version"] = str(assessment.row_version)
        else:
            messages.success(request, _("Draf asesmen disimpan."))
            return redirect("assessments:edit", pk=assessment.pk)
    context = {
        "assessment": assessment, "client": assessment.supervision.client, "meta": meta,
        "sections": form_sections(definition, answers), "live": _live(definition, answers, assessment.supervision.client.sex),
        "levels": definition["levels"],
    }
    return render(request, "assessments/edit.html", context, status=status)


@login_required
@require_POST
def assessment_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a draft, from its own page's "Hapus draf" (asked first there); the service has the rules."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    _require_writer(request.user)
    client_id = assessment.supervision.client_id
    try:
        version = int(request.POST.get("row_version", ""))
    except ValueError:
        version = -1  # refused as a stale page would be
    try:
        services.assessment_discard(by=request.user, assessment=assessment, expected_version=version)
    except StaleEdit as stale:
        messages.error(request, stale.message)
        return redirect("assessments:edit", pk=assessment.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:detail", pk=assessment.pk)
    messages.success(request, _("Draf asesmen dihapus."))
    return redirect(reverse("clients:detail", args=[client_id]) + "#asesmen")


def _live(definition, answers, sex):
    try:
        return {"result": score(definition, answers, sex=sex, partial=True)}
    except ScoringError as error:
        return {"error": error}


@login_required
@require_POST
def assessment_live_score(request: HttpRequest, pk: int) -> HttpResponse:
    """The score as the officer answers, from the same engine that finalises (htmx partial)."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    definition = assessment.definition
    answers = answers_from_post(definition, request.POST)
    context = {"live": _live(definition, answers, assessment.supervision.client.sex), "assessment": assessment}
    return render(request, "assessments/_live_score.html", context)


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    if not assessment.is_final:
        return redirect("assessments:edit", pk=assessment.pk)
    audit_log(actor=request.user, action="assessment.view", obj=assessment, office=assessment.supervision.office,
              detail={"client": assessment.supervision.client_id})
    definition = assessment.definition
    result = score(definition, assessment.answers, sex=assessment.supervision.client.sex)
    context = {
        "assessment": assessment, "client": assessment.supervision.client, "result": result,
        "needs": top_needs(result, definition), "sections": _with_chosen_options(form_sections(definition, assessment.answers)),
        "flag_items": [item for item in definition["items"] if item["code"] in result.flags],
        "can_decide": request.user.is_supervisor and assessment.override_status == "pending",
        "can_write": request.user.writes_client_files and assessment.supervision.is_active,
    }
    return render(request, "assessments/detail.html", context)


def _with_chosen_options(sections: list[dict]) -> list[dict]:
    """Each scored answer's chosen option, found here once rather than by looping over every
    item's options in the template."""
    for section in sections:
        for group in section["groups"]:
            for item in group["items"]:
                if item.get("scored"):
                    item["chosen"] = next((o for o in item["options"] if o["code"] == item["selected"]), None)
    return sections


@login_required
@require_POST
def override_decide(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    if not request.user.is_supervisor:
        raise PermissionDenied(_("Hanya Kasi/Kasubsi yang dapat memutuskan penyesuaian."))
    try:
        services.override_decide(by=request.user, assessment=assessment, approve=request.POST.get("decision") == "approve")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Keputusan penyesuaian disimpan."))
    return redirect("assessments:detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A finalised assessment is never edited; a correction is a new draft that points to it."""
    original = selectors.assessment_get(user=request.user, pk=pk)
    _require_writer(request.user)
    if not original.is_final:
        return redirect("assessments:edit", pk=original.pk)
    try:
        correction = services.assessment_start(
            by=request.user, supervision=original.supervision, version=original.version, kind=original.kind, corrects=original
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:detail", pk=original.pk)
    return redirect("assessments:edit", pk=correction.pk)


@login_required
@require_http_methods(["GET", "POST"])
def case_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervision's case plan: goals, suggestions from the needs assessment, TPP approval."""
    supervision = supervision_get(user=request.user, pk=pk)
    plan = CasePlan.objects.filter(supervision=supervision).select_related("approved_by").first()
    domains = plans.need_domains()
    suggestions = plans.suggested_needs(supervision, plan)
    # A new goal starts at the highest need without one, due by the next reassessment, when that is ahead.
    initial = {"need_domain": request.GET.get("domain") or (suggestions[0][0] if suggestions else "")}
    if supervision.assessment_due and supervision.assessment_due > timezone.localdate():
        initial["target_date"] = supervision.assessment_due
    goal_form = GoalForm(request.POST or None, domains=domains, initial=initial, prefix="goal")
    if request.method == "POST":
        _require_writer(request.user)
        if goal_form.is_valid():
            plans.goal_add(by=request.user, supervision=supervision, goal=goal_form.instance)
            messages.success(request, _("Tujuan ditambahkan."))
            return redirect("assessments:plan", pk=supervision.pk)
    context = {
        "supervision": supervision, "client": supervision.client, "plan": plan,
        "goals": list(plan.goals.all()) if plan else [], "goal_form": goal_form,
        "suggestions": suggestions, "approve_form": ApproveForm(initial=hearing_initial(request.GET)),
        "goal_statuses": GoalStatus.choices, "can_write": request.user.writes_client_files and supervision.is_active,
    }
    context["sections"] = plans.plan_sections(request, supervision, context["goals"])
    if request.method == "GET":
        audit_log(actor=request.user, action="case_plan.view", obj=supervision, office=supervision.office)
    return render(request, "assessments/plan.html", context)


@login_required
@require_POST
def case_plan_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit to the TPP (officer), record the TPP approval (supervisor), or move a goal's status."""
    supervision = supervision_get(user=request.user, pk=pk)
    plan = get_object_or_404(CasePlan, supervision=supervision)
    action = request.POST.get("action")
    try:
        if action == "submit":
            _require_writer(request.user)
            plans.plan_submit(by=request.user, plan=plan)
            messages.success(request, _("Rencana diajukan ke sidang TPP."))
        elif action == "approve":
            if not request.user.is_supervisor:
                raise PermissionDenied(_("Hanya Kasi/Kasubsi yang dapat mencatat persetujuan TPP."))
            form = ApproveForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            plans.plan_approve(by=request.user, plan=plan, tpp_date=form.cleaned_data["tpp_date"],
                               tpp_number=form.cleaned_data["tpp_number"])
            messages.success(request, _("Persetujuan TPP dicatat."))
        elif action == "goal_status":
            _require_writer(request.user)
            goal = get_object_or_404(plan.goals, pk=request.POST.get("goal"))
            plans.goal_set_status(by=request.user, goal=goal, status=request.POST.get("status", ""))
        else:
            raise ValidationError(_("Tindakan tidak dikenal."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:plan", pk=supervision.pk)
    # Decided from the TPP agenda: back to it, for the hearing's next item.
    return redirect(safe_next(request, request.POST.get("next"), reverse("assessments:plan", args=[supervision.pk])))


@login_required
def tpp_agenda(request: HttpRequest) -> HttpResponse:
    """The Kasi's agenda for a sidang TPP: what waits for the panel, each with a link to its decision
    that carries the hearing's date and number (the head reads it)."""
    require_office_role(request.user, {Role.SUPERVISOR, Role.HEAD}, _("Agenda sidang TPP untuk Kasi/Kasubsi dan Kabapas."))
    hearing = HearingForm(request.GET or None, initial={"tpp_date": timezone.localdate()})
    day, number = timezone.localdate(), ""
    if hearing.is_valid():
        day, number = hearing.cleaned_data["tpp_date"] or day, hearing.cleaned_data["tpp_number"]
    carry = "&".join(part for part in (hearing_query(day, number), urlencode({"next": request.get_full_path()})) if part)
    context = {"hearing": hearing, "carry": carry, **agenda.waiting_for_tpp(request.user.office_id)}
    return render(request, "assessments/tpp_agenda.html", context)
