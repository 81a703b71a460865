"""Case plans (rencana bimbingan): goals tied to the client's assessed needs, approved at a sidang TPP."""

import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bapas.audit import audit_log

from .engine import DomainScore, rank_needs
from .models import Assessment, AssessmentStatus, CasePlan, CasePlanGoal, CasePlanStatus, GoalStatus, InstrumentVersion


def latest_needs_assessment(supervision) -> Assessment | None:
    return (
        Assessment.objects.filter(supervision=supervision, status=AssessmentStatus.FINAL, version__definition__purpose="needs")
        .select_related("version")
        .order_by("-assessed_on", "-id")
        .first()
    )


def need_domains() -> list[str]:
    """Domain names of the newest needs instrument, for the goal form."""
    version = InstrumentVersion.objects.filter(definition__purpose="needs").order_by("-loaded_at").first()
    return [domain["name"] for domain in version.definition["domains"]] if version else []


def suggested_needs(supervision, plan: CasePlan | None) -> list[tuple[str, object]]:
    """Top need domains of the latest needs assessment that the plan has no goal for yet."""
    assessment = latest_needs_assessment(supervision)
    if assessment is None:
        return []
    covered = set(plan.goals.values_list("need_domain", flat=True)) if plan else set()
    return [(name, domain) for name, domain in stored_top_needs(assessment) if name not in covered]


def stored_top_needs(assessment: Assessment, n: int = 3) -> list[tuple[str, DomainScore]]:
    """Top needs from the domain scores stored at finalisation — no rescoring — ranked as the result page ranks them."""
    domains = {name: DomainScore(d["score"], d["level"], d.get("max", 0)) for name, d in assessment.domain_scores.items()}
    return rank_needs(domains, assessment.definition["levels"], n)


def _audit(by, action, plan, **detail):
    audit_log(actor=by, action=action, obj=plan, office=plan.supervision.office,
              detail={"client": plan.supervision.client_id, **detail})


@transaction.atomic
def goal_add(*, by, supervision, goal: CasePlanGoal) -> CasePlanGoal:
    plan, _created = CasePlan.objects.select_for_update().get_or_create(supervision=supervision)
    goal.plan = plan
    goal.full_clean()
    goal.save()
    if plan.status != CasePlanStatus.DRAFT:
        # A changed plan goes back to the TPP.
        plan.status, plan.approved_by, plan.approved_at = CasePlanStatus.DRAFT, None, None
    plan.row_version += 1
    plan.save()
    _audit(by, "case_plan.goal_add", plan, goal=goal.goal, need_domain=goal.need_domain)
    return goal


@transaction.atomic
def goal_set_status(*, by, goal: CasePlanGoal, status: str) -> CasePlanGoal:
    if status not in GoalStatus.values:
        raise ValidationError(_("Status tidak dikenal."))
    goal.status = status
    goal.save(update_fields=["status"])
    _audit(by, "case_plan.goal_status", goal.plan, goal=goal.pk, status=status)
    return goal


@transaction.atomic
def plan_submit(*, by, plan: CasePlan) -> CasePlan:
    if not plan.goals.exists():
        raise ValidationError(_("Rencana bimbingan belum punya tujuan."))
    if plan.status != CasePlanStatus.DRAFT:
        raise ValidationError(_("Rencana ini tidak sedang berupa draf."))
    plan.status = CasePlanStatus.SUBMITTED
    plan.row_version += 1
    plan.save()
    _audit(by, "case_plan.submit", plan)
    return plan


@transaction.atomic
def plan_approve(*, by, plan: CasePlan, tpp_date, tpp_number: str) -> CasePlan:
    if not by.is_supervisor or by.office_id != plan.supervision.office_id:
        raise ValidationError(_("Hanya Kasi/Kasubsi kantor ini yang dapat mencatat persetujuan TPP."))
    if plan.status != CasePlanStatus.SUBMITTED:
        raise ValidationError(_("Rencana harus diajukan ke sidang TPP lebih dulu."))
    if tpp_date > timezone.localdate():
        raise ValidationError(_("Tanggal sidang TPP tidak boleh di masa depan."))
    plan.status, plan.tpp_date, plan.tpp_number = CasePlanStatus.APPROVED, tpp_date, tpp_number.strip()
    plan.approved_by, plan.approved_at = by, timezone.now()
    plan.row_version += 1
    plan.save()
    _audit(by, "case_plan.approve", plan, tpp_date=tpp_date.isoformat(), tpp_number=plan.tpp_number)
    return plan


# Sections other apps add to the case-plan page (programs: matching programmes per goal), so this
# app need not import them. Each is (template, context builder(request, supervision, goals)).
_plan_sections: list[tuple[str, object]] = []


def register_plan_section(template: str, build) -> None:
    _plan_sections.append((template, build))


def plan_sections(request, supervision, goals) -> list[tuple[str, dict]]:
    return [(template, build(request, supervision, goals)) for template, build in _plan_sections]


def approved_plan(prefix: str = "") -> Q:
    """A supervision (reached through prefix) whose case plan the TPP approved; negated, one with no
    plan or a plan not yet approved. The dashboard counts and the caseload filter both use it."""
    return Q(**{f"{prefix}case_plan__status": CasePlanStatus.APPROVED})


def without_approved_plan(queryset, name, value):
    """The caseload filter the dashboard's "no approved plan" figure links to."""
    if value is None:
        return queryset
    return queryset.exclude(approved_plan()) if value else queryset.filter(approved_plan())


def caseload_plan_filter() -> django_filters.BooleanFilter:
    return django_filters.BooleanFilter(label=gettext_lazy("Tanpa rencana disetujui"), method=without_approved_plan)
