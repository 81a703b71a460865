"""The assessments panel on the client's page."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.history import HistorySource, register_history_source
from clients.panels import Panel, register_panel
from clients.timeline import Entry, register_timeline_source

from . import selectors
from .models import Assessment, CasePlan, CasePlanGoal, Litmas, LitmasStatus


def _assessments(request, client):
    return {"assessments": list(selectors.client_assessments(user=request.user, client=client)[:20])}


def _litmas(request, client):
    return {"litmas": list(selectors.client_litmas(user=request.user, client=client)[:20]), "client": client}


def register():
    register_panel(Panel("assessments", "assessments/panel.html", 15, _assessments))
    register_panel(Panel("litmas", "assessments/litmas_panel.html", 16, _litmas))


def _timeline_assessments(user, client):
    """Only what a timeline line shows: no assessor, answers or instrument definition."""
    return (selectors.client_assessments(user=user, client=client).select_related(None).select_related("version__instrument")
            .only("assessed_on", "kind", "final_level", "total", "version__version", "version__instrument__code"))


def _assessment_entries(request, client, limit):
    return [
        Entry(a.assessed_on, "assessments",
              f"{a.version.instrument.code} {a.version.version}: {a.final_level or _('draf')}"
              + (f" ({a.total})" if a.total is not None else ""),
              a.get_kind_display(), reverse("assessments:detail", args=[a.pk]))
        for a in _timeline_assessments(request.user, client)[:limit]
    ]


def _litmas_entries(request, client, limit):
    entries = []
    for record in selectors.client_litmas(user=request.user, client=client).select_related(None).only(
            "register_number", "kind", "status", "requested_on", "tpp_date", "tpp_number")[:limit]:
        url = reverse("litmas:detail", args=[record.pk])
        entries.append(Entry(record.requested_on, "litmas", _("Litmas %(number)s diminta: %(kind)s") % {
            "number": record.register_number, "kind": record.get_kind_display()}, "", url))
        if record.status == LitmasStatus.APPROVED:
            entries.append(Entry(record.tpp_date, "litmas", _("Litmas %(number)s disetujui sidang TPP") % {
                "number": record.register_number}, record.tpp_number, url))
    return entries


def register_timeline():
    register_timeline_source("assessments", gettext_lazy("Asesmen"), _assessment_entries)
    register_timeline_source("litmas", gettext_lazy("Litmas"), _litmas_entries)


def register_history():
    # Answers and scores change with every draft saved; the finalised result is the record's change.
    register_history_source(HistorySource(
        lambda client, ids: Assessment.history.filter(supervision_id__in=ids),
        ignored=frozenset({"answers", "domain_scores", "flags", "responsivity"}),
        describe=lambda row: _("Asesmen %(day)s") % {"day": f"{row.assessed_on:%d-%m-%Y}"}))
    register_history_source(HistorySource(
        lambda client, ids: CasePlan.history.filter(supervision_id__in=ids), describe=lambda row: _("Rencana pembimbingan")))
    register_history_source(HistorySource(
        lambda client, ids: Litmas.history.filter(client_id=client.pk),
        ignored=frozenset({"assessment_summary", "submitted_at", "decided_at", "year", "number"}),
        describe=lambda row: _("Litmas %(number)s") % {"number": row.register_number}))
    register_history_source(HistorySource(
        lambda client, ids: CasePlanGoal.history.filter(plan__supervision_id__in=ids),
        describe=lambda row: _("Tujuan rencana: %(goal)s") % {"goal": row.goal[:60]}))
