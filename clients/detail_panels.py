"""The client app's own panels on the client's page. Each runs a fixed number of queries."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bapas.links import link

from . import selectors
from .history import HistorySource, register_history_source
from .models import Client, Contact, RecidivismEvent, Revocation, Supervision, Violation
from .panels import Panel, register_panel
from .services import reopen_refusal
from .timeline import Entry, register_timeline_source

CONTACTS_PER_PAGE = 20


def _supervisions(request, client):
    # Today in the office's zone (the middleware activated it): a date before it is overdue, as on the caseload list.
    today = timezone.localdate()
    supervisions = selectors.client_supervision_list(user=request.user, client=client)
    if request.user.is_supervisor:
        # A supervision closed by mistake can be reopened while the rules allow it; a Kasi sees every
        # supervision of the office, so the list already says whether another one runs (no query more).
        reopen_url = link("clients:supervision_reopen")
        for supervision in supervisions:
            another_running = any(other.closed_on is None for other in supervisions if other.pk != supervision.pk)
            refused = reopen_refusal(supervision, another_running=another_running, today=today)
            supervision.reopen_url = "" if refused else reopen_url(supervision.pk)
    return {"supervisions": supervisions, "today": today}


def _contacts(request, client):
    contacts = selectors.client_contacts(user=request.user, client=client)
    page = Paginator(contacts, CONTACTS_PER_PAGE).get_page(request.GET.get("kontak"))
    if request.user.writes_client_files:
        # A contact of an open supervision can be corrected by those who write the file.
        correct_url = link("clients:contact_correct")
        for contact in page.object_list:
            contact.correct_url = correct_url(contact.pk) if contact.supervision.closed_on is None else ""
    return {"page": page}


def _violations(request, client):
    return {"violations": list(selectors.client_violations(user=request.user, client=client)[:50])}


def _recidivism(request, client):
    return {"events": list(selectors.client_recidivism_events(user=request.user, client=client)[:50])}


def _documents(request, client):
    return {"documents": list(selectors.client_documents(client=client))}


def register():
    register_panel(Panel("supervisions", "clients/panels/supervisions.html", 10, _supervisions))
    register_panel(Panel("contacts", "clients/panels/contacts.html", 20, _contacts))
    register_panel(Panel("violations", "clients/panels/violations.html", 30, _violations))
    register_panel(Panel("recidivism", "clients/panels/recidivism.html", 35, _recidivism))
    register_panel(Panel("documents", "clients/panels/documents.html", 40, _documents))


def _supervision_entries(request, client, limit):
    entries = []
    # Timeline sources read only the columns their lines show: no joins, narrower rows, cheaper to build.
    supervisions = selectors.client_supervisions(user=request.user, client=client).select_related(None)
    for s in supervisions.only("start_date", "legal_basis", "decree_number", "closed_on", "closure_reason")[:limit]:
        entries.append(Entry(s.start_date, "supervisions", _("Pembimbingan dimulai: %(basis)s") % {"basis": s.get_legal_basis_display()},
                             s.decree_number, reverse("clients:detail", args=[client.pk]) + "#pembimbingan"))
        if s.closed_on:
            entries.append(Entry(s.closed_on, "supervisions", _("Pembimbingan diakhiri: %(reason)s") % {
                "reason": s.get_closure_reason_display()}, "", ""))
    return entries


def _contact_entries(request, client, limit):
    return [
        Entry(timezone.localdate(c.occurred_at), "contacts",
              f"{c.get_kind_display()} — {_('hadir') if c.attended else _('tidak hadir')}", c.notes[:200])
        for c in selectors.client_contacts(user=request.user, client=client).select_related(None)
        .only("occurred_at", "kind", "attended", "notes")[:limit]
    ]


def _violation_entries(request, client, limit):
    return [
        Entry(v.occurred_on, "violations", f"{v.get_kind_display()} · {v.get_action_display()}", v.description[:200],
              reverse("clients:violation_edit", args=[v.pk]))
        for v in selectors.client_violations(user=request.user, client=client).select_related(None)
        .only("occurred_on", "kind", "action", "description")[:limit]
    ]


def _recidivism_entries(request, client, limit):
    return [
        Entry(e.event_date, "recidivism", f"{e.get_kind_display()} ({e.source})",
              e.description[:200], reverse("clients:detail", args=[client.pk]) + "#residivisme")
        for e in selectors.client_recidivism_events(user=request.user, client=client).select_related(None)
        .only("event_date", "kind", "source", "description")[:limit]
    ]


def _revocation_entries(request, client, limit):
    """Each step taken, on its document's date."""
    entries = []
    cases = Revocation.objects.filter(supervision__in=selectors.client_supervision_ids(user=request.user, client=client))
    for case in cases.select_related("supervision").order_by("-report_date")[:limit]:
        url = reverse("clients:revocation_detail", args=[case.pk])
        entries.append(Entry(case.report_date, "revocations", _("Usulan pencabutan: berita acara %(number)s") % {
            "number": case.report_number}, case.stage_label, url))
        if case.by_court:
            sent, decided = _("Surat pertimbangan ke jaksa: %(number)s"), _("Putusan pengadilan atas pencabutan: %(number)s")
        else:
            sent, decided = _("Pencabutan diusulkan: %(number)s"), _("Keputusan pencabutan: %(number)s")
        later = [(case.tpp_date, _("Sidang TPP atas usulan pencabutan: %(number)s"), case.tpp_number),
                 (case.suspended_on, _("Dicabut sementara oleh Kabapas: %(number)s"), case.suspension_number),
                 (case.sent_on, sent, case.sent_letter_number),
                 (case.decided_on, decided, case.decision_number)]
        entries.extend(Entry(day, "revocations", title % {"number": number}, "", url) for day, title, number in later if day)
    return entries


def register_timeline():
    register_timeline_source("supervisions", gettext_lazy("Pembimbingan"), _supervision_entries)
    register_timeline_source("revocations", gettext_lazy("Pencabutan"), _revocation_entries)
    register_timeline_source("contacts", gettext_lazy("Kontak"), _contact_entries)
    register_timeline_source("violations", gettext_lazy("Pelanggaran"), _violation_entries)
    register_timeline_source("recidivism", gettext_lazy("Peristiwa residivisme"), _recidivism_entries)


def _masked_nik(user, nik):
    return nik if not nik or user.sees_full_nik else Client(nik=nik).masked_nik


# Supervision columns the services keep from other records (contacts, assessments, the stage rule,
# the intensity policy): they move with every contact logged, and are nobody's edit.
SUPERVISION_WORKED_OUT = frozenset({
    "middle_stage_from", "final_stage_from", "policy_interval_days", "contact_interval_days", "last_contact_on",
    "next_contact_due", "risk_level", "assessment_due", "reporting_check_from", "suspended_on", "resumed_on"})


def register_history():
    register_history_source(HistorySource(
        lambda client, ids: Client.history.filter(id=client.pk),
        describe=lambda row: _("Data klien"), masks={"nik": _masked_nik}))
    register_history_source(HistorySource(
        lambda client, ids: Supervision.history.filter(id__in=ids),
        ignored=SUPERVISION_WORKED_OUT,
        describe=lambda row: _("Pembimbingan %(basis)s sejak %(start)s") % {
            "basis": row.legal_basis, "start": f"{row.start_date:%d-%m-%Y}"}))
    register_history_source(HistorySource(
        lambda client, ids: Contact.history.filter(supervision_id__in=ids),
        ignored=frozenset({"correction_reason"}),
        describe=lambda row: _("Kontak %(day)s") % {"day": f"{timezone.localtime(row.occurred_at):%d-%m-%Y}"}))
    register_history_source(HistorySource(
        lambda client, ids: Violation.history.filter(supervision_id__in=ids),
        describe=lambda row: _("Pelanggaran %(day)s") % {"day": f"{row.occurred_on:%d-%m-%Y}"}))
    register_history_source(HistorySource(
        lambda client, ids: Revocation.history.filter(supervision_id__in=ids),
        describe=lambda row: _("Usulan pencabutan %(number)s") % {"number": row.report_number}))
    register_history_source(HistorySource(
        lambda client, ids: RecidivismEvent.history.filter(client_id=client.pk),
        describe=lambda row: _("Peristiwa residivisme %(day)s") % {"day": f"{row.event_date:%d-%m-%Y}"}))
