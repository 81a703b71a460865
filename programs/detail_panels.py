"""The programmes panel on the client's page: enrolments, hours against the dosage target, and
programmes that match the client's top needs."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.plans import latest_needs_assessment, register_plan_section, stored_top_needs
from assessments.policy import current_policy
from clients.history import HistorySource, register_history_source
from clients.panels import Panel, register_panel
from clients.selectors import client_supervision_list
from clients.timeline import Entry, register_timeline_source

from . import selectors
from .models import Attendance, CommunityServiceDay, Enrolment, FollowUp


def _programmes(request, client):
    enrolments = list(selectors.with_next_planned(selectors.client_enrolments(user=request.user, client=client)))
    # The running supervision this user may see, from the list the supervisions panel has read.
    supervision = next((s for s in client_supervision_list(user=request.user, client=client) if s.closed_on is None), None)
    target, suggestions = None, []
    if supervision is not None:
        if supervision.risk_level:
            target = current_policy(supervision.office_id).rule_for(supervision.risk_level)["programme_hours"]
        suggestions = _suggestions(request.user, supervision, {e.programme_id for e in enrolments if e.status in ("referred", "active")})
    hours = sum((e.hours_attended for e in enrolments), start=0)
    follow_ups = list(
        selectors.client_follow_ups(user=request.user, client=client).filter(done_on__isnull=True)
        .select_related("enrolment__programme").order_by("due_date")[:10]
    )
    return {"enrolments": enrolments, "hours": hours, "target": target, "supervision": supervision,
            "suggestions": suggestions, "follow_ups": follow_ups}


def _suggestions(user, supervision, enrolled_ids) -> list:
    assessment = latest_needs_assessment(supervision)
    if assessment is None:
        return []
    needs = [name for name, _domain in stored_top_needs(assessment)]
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


def _programme_entries(request, client, limit):
    entries = []
    enrolments = selectors.client_enrolments(user=request.user, client=client)
    for e in enrolments.only("referral_date", "ended_on", "status", "hours_attended", "programme__name")[:limit]:
        url = reverse("programs:programme_detail", args=[e.programme_id])
        entries.append(Entry(e.referral_date, "programmes", _("Dirujuk ke %(p)s") % {"p": e.programme.name}, "", url))
        if e.ended_on:
            entries.append(Entry(e.ended_on, "programmes", f"{e.programme.name}: {e.get_status_display()}",
                                 _("%(h)s jam hadir") % {"h": e.hours_attended}, url))
    return entries


def _session_entries(request, client, limit):
    attended = (
        Attendance.objects.filter(enrolment__in=selectors.client_enrolments(user=request.user, client=client))
        .select_related("session__programme").order_by("-session__date", "-id")
        .only("status", "session__date", "session__topic", "session__duration_hours", "session__programme__name")[:limit]
    )
    return [
        Entry(a.session.date, "sessions", f"{a.session.programme.name}: {a.session.topic}",
              f"{a.get_status_display()} · {a.session.duration_hours} {_('jam')}")
        for a in attended
    ]


def _follow_up_entries(request, client, limit):
    done = (
        selectors.client_follow_ups(user=request.user, client=client).filter(done_on__isnull=False)
        .only("done_on", "anchor", "offset_months", "employment", "housing", "family", "new_offence").order_by("-done_on")[:limit]
    )
    return [
        Entry(f.done_on, "follow_ups",
              _("Tindak lanjut %(anchor)s +%(m)s bulan") % {"anchor": f.get_anchor_display().lower(), "m": f.offset_months},
              _("Pekerjaan: %(e)s · tempat tinggal: %(h)s · keluarga: %(f)s%(o)s") % {
                  "e": f.get_employment_display(), "h": f.get_housing_display(), "f": f.get_family_display(),
                  "o": " · " + str(_("tindak pidana baru")) if f.new_offence else ""})
        for f in done
    ]


def register_timeline():
    register_timeline_source("programmes", gettext_lazy("Program"), _programme_entries)
    register_timeline_source("sessions", gettext_lazy("Sesi program"), _session_entries)
    register_timeline_source("follow_ups", gettext_lazy("Tindak lanjut"), _follow_up_entries)


def _plan_section(request, supervision, goals):
    """Per goal: the programmes addressing its need domain, and the enrolments serving it."""
    programmes = list(selectors.with_places(selectors.programmes_of(request.user).filter(active=True)).order_by("name"))
    enrolments = list(Enrolment.objects.filter(goal__in=goals).select_related("programme"))
    rows = []
    for goal in goals:
        matches = [p for p in programmes if goal.need_domain in p.need_domains]
        serving = [e for e in enrolments if e.goal_id == goal.pk]
        enrolled = {e.programme_id for e in serving}
        rows.append({"goal": goal, "serving": serving, "matches": [
            {"programme": p, "places": None if p.capacity is None else max(0, p.capacity - p.open_enrolments)}
            for p in matches if p.pk not in enrolled][:4]})
    return {"rows": rows, "supervision": supervision}


def register_plan_programmes():
    register_plan_section("programs/plan_section.html", _plan_section)


def register_history():
    register_history_source(HistorySource(
        lambda client, ids: Enrolment.history.filter(supervision_id__in=ids),
        describe=lambda row: _("Keikutsertaan program sejak %(day)s") % {"day": f"{row.referral_date:%d-%m-%Y}"}))
    register_history_source(HistorySource(
        lambda client, ids: FollowUp.history.filter(supervision_id__in=ids),
        describe=lambda row: _("Tindak lanjut bulan ke-%(n)s") % {"n": row.offset_months}))
    register_history_source(HistorySource(
        lambda client, ids: CommunityServiceDay.history.filter(supervision_id__in=ids),
        describe=lambda row: _("Kerja sosial %(day)s") % {"day": f"{row.date:%d-%m-%Y}"}))
