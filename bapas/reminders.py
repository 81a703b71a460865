"""Reminders. Each app registers its rules in AppConfig.ready(); this module runs what joined.

A rule answers, from database state alone, "what is due for whom": it returns Due rows built by
a fixed number of set-based queries. The sweep turns them into notifications with one bulk insert
that skips rows already there, so a missed day is caught up by the next run and a second run adds
nothing. The officer's "Hari ini" page asks the same rules live, for one user."""

import datetime
from zoneinfo import ZoneInfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .jobs import periodic_job
from .models import Notification, TimeZone, User


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


_rules: dict[str, Rule] = {}


def reminder_rule(kind: str, label):
    def register(func):
        _rules[kind] = Rule(kind, label, func)
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


def due_for(user, now=None) -> dict[str, list[Due]]:
    """What is due for one person now, by rule: the live "Hari ini" list."""
    today = today_by_zone(now)
    return {rule.kind: list(rule.collect(today_by_zone=today, recipient=user)) for rule in rules()}


def zone_q(today_by_zone: dict[str, datetime.date], field: str, lookup: str, *, office: str = "office",
           days: int = 0) -> Q:
    """Q(office in zone Z and field <lookup> today-in-Z + days) for the three zones: bounded by the
    number of zones, never by the number of offices."""
    condition = Q(pk__in=[])
    for zone, today in today_by_zone.items():
        condition |= Q(**{f"{office}__time_zone": zone, f"{field}__{lookup}": today + datetime.timedelta(days=days)})
    return condition


@transaction.atomic
def sweep(now=None) -> dict:
    today = today_by_zone(now)
    by_kind = {}
    started = timezone.now()
    for rule in rules():
        rows = [
            Notification(recipient_id=due.recipient_id, kind=rule.kind, object_type=due.object_type,
                         object_id=str(due.object_id), due_date=due.due_date, title=due.title[:300], url=due.url)
            for due in rule.collect(today_by_zone=today, recipient=None)
        ]
        # No batch size: one INSERT per rule on PostgreSQL, so the query count stays the same as data grows
        # (Django still splits the rows where the database limits parameters, as SQLite does).
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        # bulk_create cannot say which rows it skipped; the rows stamped since the start can.
        by_kind[rule.kind] = Notification.objects.filter(kind=rule.kind, created_at__gte=started).count()
    return {"created": sum(by_kind.values()), "by_kind": by_kind}


@periodic_job("bapas.sweep_reminders", hour="*", minute="5")
def sweep_job() -> dict:
    """Hourly, so every zone's morning is covered; the sweep is idempotent, so extra runs cost nothing."""
    return sweep()


def staff_by_office(roles, recipient=None) -> dict[int, list[int]]:
    """Active users with one of these roles, grouped by office (for office-wide notices); with a
    recipient, only that user."""
    users = User.objects.filter(role__in=list(roles), is_active=True, office__isnull=False)
    if recipient is not None:
        users = users.filter(pk=recipient.pk)
    by_office: dict[int, list[int]] = {}
    for pk, office in users.values_list("pk", "office_id"):
        by_office.setdefault(office, []).append(pk)
    return by_office


# Panels other apps add to the "Hari ini" page (reports: the officer's own load and caseload mix).
_today_sections: list[tuple[str, Callable]] = []


def register_today_section(template: str, build: Callable) -> None:
    _today_sections.append((template, build))


def today_sections(request) -> list[tuple[str, dict]]:
    return [(template, build(request)) for template, build in _today_sections]
