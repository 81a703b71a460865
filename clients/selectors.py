"""Reads, already scoped to the user. Every view finds clients and supervisions through here:
one place decides what a user may see."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower, Substr, Upper
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bapas.days import day_start
from bapas.models import CASEWORKER_ROLES, OFFICE_WIDE_ROLES

from .models import (
    Client,
    ClientDocument,
    ClientTransfer,
    Contact,
    ContactKind,
    RecidivismEvent,
    Revocation,
    Supervision,
    TransferStatus,
    Violation,
)


def _today() -> datetime.date:
    return timezone.localdate()


def assigned(user, path: str = "", today: datetime.date | None = None) -> Q:
    """A caseworker's own cases, reached through `path`: assigned to them, or delegated to them until
    a date not yet passed (`today`, by default the active zone's). What they see, and what their
    reminders are about."""
    delegated = Q(**{f"{path}delegate": user, f"{path}delegated_until__gte": today or _today()})
    return Q(**{f"{path}officer": user}) | delegated


def visible(user, path: str = "") -> Q:
    """The one visibility rule, as a condition on a supervision reached through `path` from the model
    being read ("" for supervisions themselves, "supervision__" for contacts, assessments, ...).
    PK/APK: supervisions assigned to them, or delegated to them until a date not yet passed.
    Supervisor, head, admin: every supervision of their office. Anyone else: nothing.
    A condition rather than a subquery: it reuses the join to the supervision the query makes anyway,
    and the planner has one relation less to place (a subquery cost each object page ~1 ms of planning)."""
    nothing = Q(**{f"{path}pk__in": []})
    if not user.is_authenticated or user.office_id is None:
        return nothing
    in_office = Q(**{f"{path}office_id": user.office_id})
    if user.role in OFFICE_WIDE_ROLES:
        return in_office
    if user.role in CASEWORKER_ROLES:
        return in_office & assigned(user, path)
    return nothing


def supervisions_visible_to(user) -> QuerySet[Supervision]:
    return Supervision.objects.filter(visible(user))


def client_supervision_ids(*, user, client: Client) -> list[int]:
    """The client's supervisions this user may see, read once per client object and user: the
    client page's panels and timeline sources each filter by this short list instead of repeating
    the scope as a subquery (a query less to build and plan for each of them)."""
    listed = client.__dict__.get("_visible_supervisions", {}).get(user.pk)
    if listed is not None:  # the client's page has read them whole already
        return [supervision.pk for supervision in listed]
    cache = client.__dict__.setdefault("_visible_supervision_ids", {})
    if user.pk not in cache:
        cache[user.pk] = list(supervisions_visible_to(user).filter(client=client).values_list("pk", flat=True))
    return cache[user.pk]


def client_supervision_list(*, user, client: Client) -> list[Supervision]:
    """client_supervisions read once per client object and user: the client's page shows them in
    one panel and takes the running one for others."""
    cache = client.__dict__.setdefault("_visible_supervisions", {})
    if user.pk not in cache:
        cache[user.pk] = list(client_supervisions(user=user, client=client))
    return cache[user.pk]


def clients_visible_to(user) -> QuerySet[Client]:
    if not user.is_authenticated or user.office_id is None:
        return Client.objects.none()
    if user.role in OFFICE_WIDE_ROLES:
        return Client.objects.filter(office_id=user.office_id)
    return Client.objects.filter(office_id=user.office_id, id__in=supervisions_visible_to(user).values("client_id"))


def client_get(*, user, pk, with_pending_transfer: bool = False) -> Client:
    clients = clients_visible_to(user).select_related("office")
    if with_pending_transfer:
        # Whether another office asks for this file (client.pending_transfer_id): the client's page
        # says so, in the same query.
        clients = clients.annotate(pending_transfer_id=Subquery(
            ClientTransfer.objects.filter(client=OuterRef("pk"), status=TransferStatus.REQUESTED).values("pk")[:1]))
    return get_object_or_404(clients, pk=pk)


def supervision_get(*, user, pk) -> Supervision:
    return get_object_or_404(
        supervisions_visible_to(user).select_related("client", "office", "officer", "offence_category"), pk=pk
    )


def contact_get(*, user, pk) -> Contact:
    return get_object_or_404(Contact.objects.filter(visible(user, "supervision__")).select_related("supervision__client"), pk=pk)


def violation_get(*, user, pk) -> Violation:
    return get_object_or_404(
        Violation.objects.filter(visible(user, "supervision__")).select_related("supervision__client"),
        pk=pk,
    )


def recidivism_event_get(*, user, pk) -> RecidivismEvent:
    return get_object_or_404(
        RecidivismEvent.objects.filter(client__in=clients_visible_to(user)).select_related(
            "client__office", "supervision"
        ),
        pk=pk,
    )


def document_get(*, user, pk) -> ClientDocument:
    return get_object_or_404(ClientDocument.objects.filter(client__in=clients_visible_to(user), withdrawn_at__isnull=True), pk=pk)


def caseload_for(user) -> QuerySet[Supervision]:
    """The rows of "Klien saya": active supervisions the user may see, with what each row shows."""
    return (
        supervisions_visible_to(user)
        .active()
        .select_related("client", "officer")
        .order_by("next_contact_due", "client__full_name", "pk")
    )


def client_supervisions(*, user, client: Client) -> QuerySet[Supervision]:
    return (
        supervisions_visible_to(user)
        .filter(client=client)
        .select_related("officer", "offence_category", "delegate")
        .order_by("-start_date")
    )


def client_contacts(*, user, client: Client) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(supervision__in=client_supervision_ids(user=user, client=client))
        .select_related("officer", "supervision")
        .order_by("-occurred_at", "-id")
    )


def client_violations(*, user, client: Client) -> QuerySet[Violation]:
    return (
        Violation.objects.filter(supervision__in=client_supervision_ids(user=user, client=client))
        .select_related("recorded_by", "supervision", "revocation__supervision")
        .order_by("-occurred_on", "-id")
    )


def running_supervision(*, user, client: Client) -> Supervision | None:
    """The client's supervision still running, of those this user may see: the one the printed papers are for."""
    return client_supervisions(user=user, client=client).filter(closed_on__isnull=True).first()


def client_documents(*, client: Client) -> QuerySet[ClientDocument]:
    return client.documents.filter(withdrawn_at__isnull=True).select_related("uploaded_by").order_by("-uploaded_at")


def client_recidivism_events(*, user, client: Client) -> QuerySet[RecidivismEvent]:
    return (
        RecidivismEvent.objects.filter(client=client, client__in=clients_visible_to(user))
        .select_related("supervision", "recorded_by")
        .order_by("-event_date", "-id")
    )


def revocation_get(*, user, pk) -> Revocation:
    return get_object_or_404(
        Revocation.objects.filter(visible(user, "supervision__"))
        .select_related("supervision__client", "supervision__office", "violation", "created_by"), pk=pk)


OTHER_INITIAL = "#"  # names that do not start with a letter A–Z


def index_initials(*, user) -> dict[str, int]:
    """The buku klaper's tabs: how many of the user's clients have a name starting with each letter."""
    counted = (clients_visible_to(user).annotate(initial=Upper(Substr("full_name", 1, 1))).values("initial")
               .annotate(n=Count("pk")).order_by())
    initials: dict[str, int] = {}
    for row in counted:
        key = row["initial"] if row["initial"] and "A" <= row["initial"] <= "Z" else OTHER_INITIAL
        initials[key] = initials.get(key, 0) + row["n"]
    return initials


def index_entries(*, user, initial: str) -> QuerySet[Client]:
    """The buku klaper's page for one letter, alphabetical: each client with their latest supervision's
    legal basis and closure date (a closed one is struck through, as the paper book strikes it in red)."""
    clients = clients_visible_to(user)
    if initial == OTHER_INITIAL:
        clients = clients.exclude(full_name__regex=r"^[A-Za-z]")
    else:
        clients = clients.filter(full_name__istartswith=initial)
    latest = Supervision.objects.filter(client=OuterRef("pk")).order_by("-start_date", "-pk")
    return (clients.annotate(basis=Subquery(latest.values("legal_basis")[:1]), closed_on=Subquery(latest.values("closed_on")[:1]),
                             running=Exists(Supervision.objects.filter(client=OuterRef("pk"), closed_on__isnull=True)))
            .only("pk", "full_name", "aliases", "register_number", "birth_date").order_by(Lower("full_name"), "pk"))


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = day_start(day)
    return start, start + datetime.timedelta(days=1)


def office_reports_on(*, user, day: datetime.date) -> QuerySet[Contact]:
    """The daftar lapor diri of one day: the wajib lapor at the office the user may see, in the order they came."""
    start, end = _day_bounds(day)
    return (Contact.objects.filter(visible(user, "supervision__"), kind=ContactKind.REPORT_OFFICE, attended=True,
                                   occurred_at__gte=start, occurred_at__lt=end)
            .select_related("supervision__client", "supervision__officer", "officer")
            .only("occurred_at", "notes", "officer__first_name", "officer__last_name", "officer__username",
                  "supervision__client__full_name", "supervision__client__register_number", "supervision__officer__first_name",
                  "supervision__officer__last_name", "supervision__officer__username", "supervision__legal_basis")
            .order_by("occurred_at", "pk"))


def _with_report_time(supervisions: QuerySet[Supervision], day: datetime.date) -> QuerySet[Supervision]:
    """Each supervision with the time it reported at the office that day, if it did."""
    start, end = _day_bounds(day)
    reported = Contact.objects.filter(supervision=OuterRef("pk"), kind=ContactKind.REPORT_OFFICE, attended=True,
                                      occurred_at__gte=start, occurred_at__lt=end).order_by("occurred_at")
    return supervisions.annotate(reported_at=Subquery(reported.values("occurred_at")[:1])).select_related("client", "officer")


def reporting_candidates(*, user, query: str, day: datetime.date, limit: int = 20) -> list[Supervision]:
    """The running supervisions a search at the desk finds (name, alias or register number)."""
    found = Q(client__full_name__icontains=query) | Q(client__aliases__icontains=query) | Q(client__register_number__icontains=query)
    running = supervisions_visible_to(user).active().filter(found)
    return list(_with_report_time(running, day).order_by(Lower("client__full_name"), "pk")[:limit])


def reporting_expected(*, user, day: datetime.date, limit: int = 30) -> tuple[list[Supervision], int]:
    """Who the desk can expect: running supervisions whose contact is due by that day (overdue first),
    not suspended and not reported yet; the first `limit` of them and how many there are."""
    due = (_with_report_time(supervisions_visible_to(user).active(), day)
           .filter(next_contact_due__lte=day, suspended_on__isnull=True, reported_at__isnull=True))
    return list(due.order_by("next_contact_due", Lower("client__full_name"), "pk")[:limit]), due.count()


def transfers_of(user) -> QuerySet[ClientTransfer]:
    """The requests to move a client's file that concern the user's office, asked by it or of it: for
    the office-wide roles. The holding office's Kasi decides; the asking one follows its answer."""
    if not user.is_authenticated or user.office_id is None or user.role not in OFFICE_WIDE_ROLES:
        return ClientTransfer.objects.none()
    return ClientTransfer.objects.filter(Q(from_office_id=user.office_id) | Q(to_office_id=user.office_id))


def transfer_get(*, user, pk) -> ClientTransfer:
    return get_object_or_404(
        transfers_of(user).select_related("client", "from_office", "to_office", "requested_by", "decided_by"), pk=pk)
