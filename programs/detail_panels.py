"""The programmes panel on the client's page: enrolments, hours against the dosage target, and
programmes that match the client's top needs."""

from assessments.plans import latest_needs_assessment
from assessments.policy import current_policy
from clients.panels import Panel, register_panel

from . import selectors


def _programmes(request, client):
    enrolments = list(selectors.client_enrolments(user=request.user, client=client))
    supervision = client.supervisions.filter(closed_on__isnull=True).order_by("-start_date").first()
    target, suggestions = None, []
    if supervision is not None:
        if supervision.risk_level:
            target = current_policy(supervision.office_id).rule_for(supervision.risk_level)["programme_hours"]
        suggestions = _suggestions(request.user, supervision, {e.programme_id for e in enrolments if e.status in ("referred", "active")})
    hours = sum((e.hours_attended for e in enrolments), start=0)
    follow_ups = list(
        selectors.follow_ups_visible_to(request.user).filter(supervision__client=client, done_on__isnull=True)
        .select_related("enrolment__programme").order_by("due_date")[:10]
    )
    return {"enrolments": enrolments, "hours": hours, "target": target, "supervision": supervision,
            "suggestions": suggestions, "follow_ups": follow_ups}


def _suggestions(user, supervision, enrolled_ids) -> list:
    assessment = latest_needs_assessment(supervision)
    if assessment is None:
        return []
    needs = [name for name, d in sorted(assessment.domain_scores.items(), key=lambda kv: -kv[1]["score"]) if d["level"] != "Rendah"][:3]
    if not needs:
        return []
    programmes = selectors.with_places(selectors.programmes_of(user).filter(active=True)).order_by("name")
    matches = []
    for programme in programmes:
        covered = [need for need in needs if need in programme.need_domains]
        if covered and programme.pk not in enrolled_ids:
            places = None if programme.capacity is None else max(0, programme.capacity - programme.open_enrolments)
            matches.append({"programme": programme, "needs": covered, "places": places})
    return matches[:5]


def register():
    register_panel(Panel("programmes", "programs/panel.html", 18, _programmes))
