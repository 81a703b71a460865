"""Reminders. Each app registers its rules in AppConfig.ready(); this module runs what joined.

A rule answers, from database state alone, "what is due for whom": it returns Due rows built by
a fixed number of set-based queries. The sweep turns them into notifications with one bulk insert
that skips rows already there, so a missed day is caught up by the next run and a second run adds
nothing. The officer's "Hari ini" page asks the same rules live, for one user.

Most rules report a thing until it is handled (a contact overdue until the contact is made), so
the sweep also settles their open notices that the rule no longer reports: the bell and the
digest then speak only of what still needs doing. Rules about a date window (a supervision ending
within the office's notice days, a stage change) report a fact the reader should still see, so
theirs stay open."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .jobs import periodic_job
from .models import OPEN_NOTICE, Notification, Office, TimeZone, User


@dataclass(frozen=True)
class Due:
    recipient_id: int
    object_type: str
    object_id: int | str
    due_date: datetime.date
    title: str
    url: str = ""


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    collect: Callable[..., Iterable[Due]]  # collect(today_by_zone=..., recipient=None)
    settles: bool = True  # a notice the rule no longer reports has been handled
    # What "Hari ini" offers beside each item: a label and a view taking the item's object_id.
    action: tuple[str, str] | None = None


_rules: dict[str, Rule] = {}


def reminder_rule(kind: str, label, *, settles: bool = True, action: tuple[str, str] | None = None):
    def register(func):
        _rules[kind] = Rule(kind, label, func, settles, action)
        return func

    return register


def rules() -> list[Rule]:
    return list(_rules.values())


def today_by_zone(now: datetime.datetime | None = None) -> dict[str, datetime.date]:
    """Today's date in each of the three zones; rules filter offices by zone in one query."""
    now = now or timezone.now()
    return {zone: timezone.localdate(now, timezone=_zone(zone)) for zone in TimeZone.values}


def _zone(name):
    return ZoneInfo(name)


def due_for(user, now=None, kinds=None) -> dict[str, list[Due]]:
    """What is due for one person now, by rule (only the rules of `kinds`, when given): the live
    "Hari ini" list."""
    today = today_by_zone(now)
    if user.office_id is not None:
        # One person's day is their office's day: one zone makes every rule's filter a third as long.
        zone = user.office.time_zone
        today = {zone: today[zone]}
    return {rule.kind: list(rule.collect(today_by_zone=today, recipient=user))
            for rule in rules() if kinds is None or rule.kind in kinds}


@transaction.atomic
def settle_for(user, now=None) -> int:
    """Settles at once one person's open notices that the rules no longer report for them; returns
    how many. Run after each of their writes, so an officer who logs the overdue contact sees the bell
    clear on the next page rather than at the next hourly sweep. Only the rules the person has open
    notices of are asked, and nothing is asked when they have none. Other people's notices about the
    same thing (a supervisor's) wait for the sweep, as do new notices."""
    now = now or timezone.now()
    settling = {rule.kind for rule in rules() if rule.settles}
    kinds = set(Notification.objects.filter(OPEN_NOTICE, recipient=user, kind__in=settling)
                .values_list("kind", flat=True).distinct())
    if not kinds:
        return 0
    return sum(settle(kind, dues, now, recipient=user)[0] for kind, dues in due_for(user, now, kinds).items())


def zone_q(today_by_zone: dict[str, datetime.date], field: str, lookup: str, *, office: str = "office",
           days: int = 0) -> Q:
    """Q(office in zone Z and field <lookup> today-in-Z + days) for the three zones: bounded by the
    number of zones, never by the number of offices. With a single zone the caller has already kept
    to one person's rows in one office (due_for), so no join to the office is needed."""
    if len(today_by_zone) == 1:
        (today,) = today_by_zone.values()
        return Q(**{f"{field}__{lookup}": today + datetime.timedelta(days=days)})
    condition = Q(pk__in=[])
    for zone, today in today_by_zone.items():
        condition |= Q(**{f"{office}__time_zone": zone, f"{field}__{lookup}": today + datetime.timedelta(days=days)})
    return condition


def office_days(recipient, field: str) -> dict[int, int]:
    """Each office's reminder offset (an Office field, e.g. ending_notice_days), by office; the
    recipient's office's alone for one person's list (their office comes with the user)."""
    if recipient is not None:
        return {recipient.office_id: getattr(recipient.office, field)} if recipient.office_id else {}
    return dict(Office.objects.values_list("pk", field))


def offset_q(today_by_zone: dict[str, datetime.date], field: str, lookup: str, days_by_office: dict[int, int], *,
             office: str = "office", sign: int = 1) -> Q:
    """zone_q with each office's own number of days (office_days; `sign` -1 counts back): offices
    sharing a number share one condition, so the SQL follows the distinct numbers, not the offices."""
    offices_by_days: dict[int, list[int]] = {}
    for office_id, days in days_by_office.items():
        offices_by_days.setdefault(days, []).append(office_id)
    condition = Q(pk__in=[])
    for days, offices in offices_by_days.items():
        condition |= Q(**{f"{office}_id__in": offices}) & zone_q(today_by_zone, field, lookup, office=office, days=sign * days)
    return condition


@transaction.atomic
def sweep(now=None) -> dict:
    today = today_by_zone(now)
    started = timezone.now()
    by_kind, settled = {}, 0
    for rule in rules():
        dues = list(rule.collect(today_by_zone=today, recipient=None))
        if rule.settles:
            count, still_open = settle(rule.kind, dues, started)
            settled += count
            # Those already showing need no write; the rest are new, or read, or settled and due again.
            dues = [due for due in dues if _key(due) not in still_open]
        by_kind[rule.kind] = _insert(rule.kind, dues, started, reopen=rule.settles)
    return {"created": sum(by_kind.values()), "by_kind": by_kind, "settled": settled}


KEY_COLUMNS = ("recipient_id", "object_type", "object_id", "due_date")


def _key(due: Due) -> tuple:
    return (due.recipient_id, due.object_type, str(due.object_id), due.due_date)


def settle(kind: str, dues: list[Due], now, recipient=None) -> tuple[int, set]:
    """Marks handled the rule's open notices that are not among what it reports now; returns how many,
    and the keys of those that stay open. With a recipient, only theirs: `dues` then holds only what
    the rule reports for them.

    The open notices of the kind are read through a partial index and compared with today's keys
    here rather than in SQL: a NOT EXISTS or EXCEPT join planned on statistics taken before the
    sweep's own inserts became a nested loop over both lists (6 s for 9,000 notices; one national
    sweep took 78 s), and only a plan that cannot go wrong keeps the sweep under its minute."""
    current = set(map(_key, dues))
    open_notices = Notification.objects.filter(OPEN_NOTICE, kind=kind)
    if recipient is not None:
        open_notices = open_notices.filter(recipient=recipient)
    open_notices = open_notices.values_list("pk", *KEY_COLUMNS)
    handled, still_open = [], set()
    for pk, *key in open_notices.iterator(chunk_size=5000):
        if tuple(key) in current:
            still_open.add(tuple(key))
        else:
            handled.append(pk)
    return _update(Notification.objects.filter(OPEN_NOTICE), handled, resolved_at=now), still_open


def _update(notices, pks: list[int], **fields) -> int:
    """One UPDATE where the database has no limit on parameters (PostgreSQL); batches where it has (SQLite)."""
    batch = connection.features.max_query_params or max(len(pks), 1)
    return sum(notices.filter(pk__in=pks[start:start + batch]).update(**fields) for start in range(0, len(pks), batch))


def _insert(kind: str, dues: list[Due], created_at, *, reopen: bool = False) -> int:
    """One INSERT per rule that skips notices already there. With reopen, a settled notice whose thing
    is due again (a follow-up marked done by mistake and undone, a plan sent back and resubmitted the
    same day) is shown again: its key is the same, so it would otherwise never come back. Reopening
    locks each conflicting row, so the sweep leaves out the notices it knows are open. Returns how
    many notices are new or reopened."""
    columns = ("recipient_id", "object_type", "object_id", "due_date", "title", "url")
    values = [(*_key(due), due.title[:300], due.url) for due in dues]
    if not values:
        return 0
    if connection.vendor != "postgresql":
        return _insert_portably(kind, columns, values, created_at, reopen=reopen)
    # PostgreSQL takes each column as one array: the statement and its parameters stay the same size
    # whatever the number of rows, and the rows are never turned into model instances.
    arrays = list(zip(*values))
    table = Notification._meta.db_table
    # One row per key (DISTINCT ON): a statement may not update the same row twice.
    keys = ", ".join(KEY_COLUMNS)
    on_conflict = (f"ON CONSTRAINT notification_once DO UPDATE SET resolved_at = NULL WHERE {table}.resolved_at IS NOT NULL"
                   if reopen else "DO NOTHING")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (kind, created_at, {", ".join(columns)})
                SELECT DISTINCT ON ({keys}) %s, %s, *
                FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::date[], %s::text[], %s::text[]) AS due({", ".join(columns)})
                ON CONFLICT {on_conflict}""",
            [kind, created_at, *[list(column) for column in arrays]],
        )
        return cursor.rowcount


def _insert_portably(kind: str, columns, values, created_at, *, reopen: bool) -> int:
    """_insert() for other databases (SQLite in development), in three statements; it reads the kind's
    settled notices to find those due again, which only a development database is small enough for."""
    Notification.objects.bulk_create(
        [Notification(kind=kind, created_at=created_at, **dict(zip(columns, row))) for row in values], ignore_conflicts=True)
    created = Notification.objects.filter(kind=kind, created_at__gte=created_at).count()
    if not reopen:
        return created
    current = {tuple(row[:len(KEY_COLUMNS)]) for row in values}
    settled = Notification.objects.filter(kind=kind, resolved_at__isnull=False)
    reopened = _update(settled, [pk for pk, *key in settled.values_list("pk", *KEY_COLUMNS) if tuple(key) in current], resolved_at=None)
    return created + reopened


@periodic_job("bapas.sweep_reminders", hour="*", minute="5")
def sweep_job() -> dict:
    """Hourly, so every zone's morning is covered; the sweep is idempotent, so extra runs cost nothing."""
    return sweep()


def staff_by_office(roles, recipient=None) -> dict[int, list[int]]:
    """Active users with one of these roles, grouped by office (for office-wide notices); with a
    recipient, only that user: read from the user itself, not the database (a query less for each
    office-wide rule on their Hari ini)."""
    if recipient is not None:
        holds = recipient.is_active and recipient.office_id is not None and recipient.role in roles
        return {recipient.office_id: [recipient.pk]} if holds else {}
    users = User.objects.filter(role__in=list(roles), is_active=True, office__isnull=False)
    by_office: dict[int, list[int]] = {}
    for pk, office in users.values_list("pk", "office_id"):
        by_office.setdefault(office, []).append(pk)
    return by_office


def office_notices(queryset, roles, recipient, office_path: str):
    """For a notice to an office's staff in `roles`: the rows it is about and who hears of it, by office.
    The sweep takes every office's rows; one person's list only their office's, and nothing (None) when
    they hold none of the roles."""
    if recipient is not None:
        if recipient.role not in roles:
            return None, {}
        queryset = queryset.filter(**{office_path: recipient.office_id})
    return queryset, staff_by_office(roles, recipient)


# Panels other apps add to the "Hari ini" page (reports: the officer's own load and caseload mix).
_today_sections: list[tuple[str, Callable]] = []


def register_today_section(template: str, build: Callable) -> None:
    _today_sections.append((template, build))


def today_sections(request) -> list[tuple[str, dict]]:
    return [(template, build(request)) for template, build in _today_sections]
