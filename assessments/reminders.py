"""The assessments app's reminder rules: assessments due, home visits the intensity policy asks for,
and case plans and Litmas waiting for the TPP."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bapas.days import day_start
from bapas.links import link
from bapas.models import Role
from bapas.reminders import Due, office_notices, reminder_rule, zone_q
from clients.models import ContactKind, Supervision
from clients.reminders import caseworkers, for_caseworker

from .models import CasePlan, CasePlanStatus, IntensityPolicy, Litmas, LitmasStatus
from .policy import DEFAULT_RULES, add_months


@reminder_rule("assessment_due", gettext_lazy("Asesmen jatuh tempo"), action=(gettext_lazy("Mulai asesmen"), "assessments:start"))
def assessment_due(*, today_by_zone, recipient=None):
    supervisions = for_caseworker(Supervision.objects.active().filter(zone_q(today_by_zone, "assessment_due", "lte")),
                                  recipient, today_by_zone)
    rows = supervisions.values_list("pk", "officer_id", "delegate_id", "delegated_until", "assessment_due", "client_id",
                                    "client__full_name")
    title, url = _("Asesmen jatuh tempo %(date)s: %(name)s"), link("clients:detail", "#asesmen")
    return [
        Due(person, "clients.supervision", pk, due, title % {"date": due.strftime("%d-%m-%Y"), "name": name}, url(client))
        for pk, officer, delegate, until, due, client, name in rows
        for person in caseworkers(officer, delegate, until, today_by_zone, recipient)
    ]


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of the calendar quarter (triwulan) `day` falls in."""
    first = day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return first, add_months(first, 3) - datetime.timedelta(days=1)


# An office with no policy of its own yet works on the shipped one (assessments.policy.current_policy).
SHIPPED_NOTICE_DAYS = IntensityPolicy._meta.get_field("home_visit_notice_days").default


def _home_visit_policies(office_id: int | None = None) -> dict[int, tuple[dict, int]]:
    """Each office's current rules by level and notice days (the newest version), in one query; one
    office's for one person's list."""
    policies = IntensityPolicy.objects.all() if office_id is None else IntensityPolicy.objects.filter(office_id=office_id)
    current = {}
    for office, rules, notice_days in policies.order_by("office_id", "number").values_list("office_id", "rules", "home_visit_notice_days"):
        current[office] = rules, notice_days  # the last, highest number wins
    return current


def _noticing_offices(policies: dict, days_left: int) -> Q | None:
    """The offices whose policy has the notice out `days_left` days before the quarter ends (from the
    policy's days before it), as a filter; None when none has."""
    closed = [office for office, (_rules, notice_days) in policies.items() if days_left > notice_days]
    if days_left <= SHIPPED_NOTICE_DAYS:  # offices on the shipped policy too
        return ~Q(office_id__in=closed)
    opened = [office for office in policies if office not in closed]
    return Q(office_id__in=opened) if opened else None


@reminder_rule("home_visits_short", gettext_lazy("Kunjungan rumah triwulan ini belum cukup"),
               action=(gettext_lazy("Catat kontak"), "clients:contact_create"))
def home_visits_short(*, today_by_zone, recipient=None):
    """Near a quarter's end (the office's policy says how near), for the PK: assessed clients with
    fewer attended home visits this quarter than the policy asks for their risk level. The quarter's
    last day keys the notice (one a quarter); the visit that makes up the number settles it."""
    if recipient is not None and not recipient.is_caseworker:  # no caseload: not even the policies to read
        return []
    policies = _home_visit_policies(recipient.office_id if recipient is not None else None)
    dues = []
    title, url = _("Kunjungan rumah %(done)s dari %(required)s triwulan ini (sampai %(date)s): %(name)s"), link("clients:detail")
    for zone, today in today_by_zone.items():
        first, last = quarter_bounds(today)
        offices = _noticing_offices(policies, (last - today).days)
        if offices is None:
            continue
        start = day_start(first, ZoneInfo(zone))
        visits = Count("contacts", filter=Q(contacts__kind=ContactKind.HOME_VISIT, contacts__attended=True,
                                            contacts__occurred_at__gte=start))
        rows = (for_caseworker(Supervision.objects.active().filter(offices, office__time_zone=zone, suspended_on__isnull=True)
                               .exclude(risk_level=""), recipient, today_by_zone)
                .annotate(visits=visits).values_list("pk", "office_id", "risk_level", "visits", "officer_id", "delegate_id",
                                                     "delegated_until", "client_id", "client__full_name"))
        for pk, office, level, done, officer, delegate, until, client, name in rows:
            rules = policies[office][0] if office in policies else DEFAULT_RULES
            required = rules.get(level, {}).get("home_visits_per_quarter", 0)
            if done >= required:
                continue
            text = title % {"done": done, "required": required, "date": last.strftime("%d-%m-%Y"), "name": name}
            dues.extend(Due(person, "clients.supervision", pk, last, text, url(client))
                        for person in caseworkers(officer, delegate, until, today_by_zone, recipient))
    return dues


@reminder_rule("plan_awaiting_tpp", gettext_lazy("Rencana bimbingan menunggu sidang TPP"))
def plan_awaiting_tpp(*, today_by_zone, recipient=None):
    """For the office's supervisors: every plan submitted and not yet approved."""
    plans, by_office = office_notices(CasePlan.objects.filter(status=CasePlanStatus.SUBMITTED, supervision__closed_on__isnull=True),
                                      [Role.SUPERVISOR], recipient, "supervision__office_id")
    if plans is None:
        return []
    rows = plans.values_list("pk", "supervision_id", "supervision__office_id", "updated_at", "supervision__client__full_name")
    title, url = _("Rencana bimbingan menunggu sidang TPP: %(name)s"), link("assessments:plan")
    return [
        Due(supervisor, "assessments.caseplan", pk, updated.date(), title % {"name": name}, url(supervision))
        for pk, supervision, office, updated, name in rows
        for supervisor in by_office.get(office, [])
    ]


@reminder_rule("litmas_due", gettext_lazy("Litmas yang harus disusun"), action=(gettext_lazy("Tulis Litmas"), "litmas:detail"))
def litmas_due(*, today_by_zone, recipient=None):
    """For the PK who writes it: every Litmas still in draft, from the day it is given to them (the
    notice tells them of it) until it goes to the TPP. Keyed by its deadline, which the list sorts by;
    a moved deadline is a new notice."""
    drafts = Litmas.objects.filter(status=LitmasStatus.DRAFT)
    if recipient is not None:
        drafts = drafts.filter(officer=recipient)
    rows = drafts.values_list("pk", "officer_id", "due_on", "register_number", "client__full_name")
    title, url = _("Litmas %(number)s (%(name)s) batas waktu %(date)s"), link("litmas:detail")
    return [Due(officer, "assessments.litmas", pk, due, title % {"number": number, "name": name, "date": due.strftime("%d-%m-%Y")}, url(pk))
            for pk, officer, due, number, name in rows]


@reminder_rule("litmas_awaiting_tpp", gettext_lazy("Litmas menunggu sidang TPP"))
def litmas_awaiting_tpp(*, today_by_zone, recipient=None):
    """For the office's supervisors: every Litmas submitted and not yet decided."""
    submitted, by_office = office_notices(Litmas.objects.filter(status=LitmasStatus.SUBMITTED), [Role.SUPERVISOR], recipient, "office_id")
    if submitted is None:
        return []
    rows = submitted.values_list("pk", "office_id", "due_on", "register_number", "client__full_name")
    title, url = _("Litmas %(number)s (%(name)s) menunggu sidang TPP"), link("litmas:detail")
    return [Due(supervisor, "assessments.litmas", pk, due, title % {"number": number, "name": name}, url(pk))
            for pk, office, due, number, name in rows
            for supervisor in by_office.get(office, [])]
