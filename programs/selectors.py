import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bapas.reminders import today_by_zone, zone_q
from clients.selectors import client_supervision_ids, visible

from .models import (
    OPEN_STATUSES,
    Attendance,
    AttendanceStatus,
    CommunityServiceDay,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    Partner,
    PlannedSession,
    Programme,
    ProgrammeSession,
)


def partners_of(user) -> QuerySet[Partner]:
    if not user.is_authenticated or user.office_id is None:
        return Partner.objects.none()
    return Partner.objects.filter(office_id=user.office_id)


def partners_expiring(user) -> QuerySet[Partner]:
    today = timezone.localdate()
    return partners_of(user).filter(active=True, agreement_end__gte=today,
                                    agreement_end__lte=today + datetime.timedelta(days=user.office.agreement_notice_days))


def programmes_of(user) -> QuerySet[Programme]:
    """Programmes are office data: everyone in the office sees the catalogue."""
    if not user.is_authenticated or user.office_id is None:
        return Programme.objects.none()
    return Programme.objects.filter(office_id=user.office_id)


def with_places(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """Open enrolments and the last session logged per programme (is it running?), each looked up
    through its own index: joining both to the programme would multiply every enrolment by every
    session. Sessions are logged after they took place, so a programme has no "next" one to show."""
    open_enrolments = (Enrolment.objects.filter(programme=OuterRef("pk"), status__in=OPEN_STATUSES)
                       .order_by().values("programme").annotate(n=Count("pk")).values("n"))
    last_session = ProgrammeSession.objects.filter(programme=OuterRef("pk")).order_by("-date").values("date")[:1]
    return programmes.annotate(open_enrolments=Coalesce(Subquery(open_enrolments), 0), last_session=Subquery(last_session),
                               next_planned=next_planned("pk", "date"))


def next_planned(programme_ref: str, field: str) -> Subquery:
    """One field (date, starts_at, place) of the first date on a programme's schedule from today on,
    for an annotation; `programme_ref` names the programme's id in the outer query."""
    return Subquery(PlannedSession.objects.filter(programme=OuterRef(programme_ref), date__gte=timezone.localdate())
                    .order_by("date", "starts_at", "pk").values(field)[:1])


def planned_that_day(*, programme: Programme, day: datetime.date) -> tuple[bool, str]:
    """Whether the programme's schedule has `day`, and the topic it gives a session then ("" if none:
    when the day has several dates with a topic (rare), the earliest one's). One query."""
    topics = list(programme.schedule.filter(date=day).order_by(F("starts_at").asc(nulls_last=True), "pk")
                  .values_list("topic", flat=True))
    return bool(topics), next((topic for topic in topics if topic), "")


# A date on the schedule is asked after for this many days once it has passed; an older one is taken as not held.
UNLOGGED_WINDOW_DAYS = 30


def within_unlogged_window(day: datetime.date) -> bool:
    """Whether a date is recent enough for unlogged_planned to ask after it once it has passed (counted
    from the office's today, which the middleware activated): a page that points there says so only then."""
    return day >= timezone.localdate() - datetime.timedelta(days=UNLOGGED_WINDOW_DAYS)


def unlogged_planned(*, today_by_zone: dict[str, datetime.date]) -> QuerySet[PlannedSession]:
    """Dates on the schedule that have passed with no session logged for the programme that day, within
    the last UNLOGGED_WINDOW_DAYS days of their office's today: what the session_unlogged reminder asks
    after and what the programme's page offers to log or mark as not held, defined once so the two agree."""
    logged = ProgrammeSession.objects.filter(programme=OuterRef("programme_id"), date=OuterRef("date"))
    return (PlannedSession.objects.filter(zone_q(today_by_zone, "date", "lt", office="programme__office"))
            .filter(zone_q(today_by_zone, "date", "gte", office="programme__office", days=-UNLOGGED_WINDOW_DAYS))
            .filter(~Exists(logged)))


def programme_unlogged(programme: Programme) -> list[PlannedSession]:
    """The programme's dates in unlogged_planned, newest first, counted in its office's zone as the reminder does."""
    return list(unlogged_planned(today_by_zone=today_by_zone()).filter(programme=programme)
                .order_by("-date", F("starts_at").desc(nulls_last=True), "-pk"))


def programme_get(*, user, pk) -> Programme:
    return get_object_or_404(programmes_of(user).select_related("office", "facilitator_officer", "facilitator_partner"), pk=pk)


def session_get(*, user, pk) -> ProgrammeSession:
    """A logged session of one of the user's office's programmes; whether they may change it is may_log_sessions."""
    return get_object_or_404(
        ProgrammeSession.objects.select_related("programme__facilitator_officer", "programme__facilitator_partner", "recorded_by"),
        pk=pk, programme__in=programmes_of(user))


def attendance_counts(session: ProgrammeSession) -> dict[str, int]:
    """How many participants the session marked with each attendance status, every status named."""
    return session.attendance.aggregate(**{status: Count("pk", filter=Q(status=status)) for status in AttendanceStatus.values})


def may_log_sessions(user, programme: Programme) -> bool:
    """The programme's own facilitator and the office's supervisors record sessions and see every
    participant; everyone else sees only participants in their own caseload."""
    return user.office_id == programme.office_id and (user.is_supervisor or programme.facilitator_officer_id == user.pk)


def programme_participants(*, user, programme: Programme) -> QuerySet[Enrolment]:
    enrolments = programme.enrolments.select_related("supervision__client").order_by("supervision__client__full_name", "pk")
    if may_log_sessions(user, programme):
        return enrolments
    return enrolments.filter(visible(user, "supervision__"))


SCHEDULE_AHEAD_DAYS = 1  # "Hari ini" shows the clients' programme sessions of today and tomorrow


def my_clients_schedule(user) -> list[dict]:
    """For a PK's "Hari ini": the dates on the schedule today and tomorrow of the programmes their
    clients take part in, each with those clients, so the PK can remind them. One query."""
    if not user.is_authenticated or not user.is_caseworker:
        return []
    today = timezone.localdate()
    rows = (Enrolment.objects.filter(visible(user, "supervision__"), status__in=OPEN_STATUSES, supervision__closed_on__isnull=True,
                                     programme__schedule__date__gte=today,
                                     programme__schedule__date__lte=today + datetime.timedelta(days=SCHEDULE_AHEAD_DAYS))
            .values_list("programme__schedule__pk", "programme__schedule__date", "programme__schedule__starts_at",
                         "programme__schedule__place", "programme_id", "programme__name", "supervision__client_id",
                         "supervision__client__full_name")
            .order_by("programme__schedule__date", "programme__schedule__starts_at", "programme__name",
                      "supervision__client__full_name")[:200])
    meetings: dict[int, dict] = {}
    for planned_id, day, starts_at, place, programme_id, programme, client_id, name in rows:
        meeting = meetings.setdefault(planned_id, {"date": day, "starts_at": starts_at, "place": place, "today": day == today,
                                                   "programme_id": programme_id, "programme": programme, "clients": []})
        meeting["clients"].append((client_id, name))
    return list(meetings.values())


def unrecorded_participants(session: ProgrammeSession) -> QuerySet[Enrolment]:
    """Participants enrolled on the session's day whom the session did not record: a correction may
    add them. Offices often enter a referral after the sessions it went to were logged. Enrolled on a
    day: referred by then and not ended before it; a cancelled enrolment never took part."""
    day = session.date
    recorded = Attendance.objects.filter(session=session, enrolment=OuterRef("pk"))
    return (Enrolment.objects.filter(programme_id=session.programme_id, referral_date__lte=day)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
            .exclude(status=EnrolmentStatus.CANCELLED)
            .filter(~Exists(recorded)))


def enrolment_get(*, user, pk) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.filter(visible(user, "supervision__")).select_related("programme", "supervision__client"),
        pk=pk,
    )


def service_day_get(*, user, pk) -> CommunityServiceDay:
    return get_object_or_404(
        CommunityServiceDay.objects.filter(visible(user, "supervision__")).select_related("supervision__client", "recorded_by"),
        pk=pk,
    )


def client_enrolments(*, user, client) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(supervision__in=client_supervision_ids(user=user, client=client))
        .select_related("programme")
        .order_by("-referral_date", "-id")
    )


def with_next_planned(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Each enrolment with its programme's next date on the schedule, its time and place: the PK tells the client."""
    return enrolments.annotate(next_planned_on=next_planned("programme_id", "date"),
                               next_planned_at=next_planned("programme_id", "starts_at"),
                               next_planned_place=next_planned("programme_id", "place"))


def hours_by_client(*, user, client) -> dict:
    return client_enrolments(user=user, client=client).aggregate(total=Sum("hours_attended"))


def follow_ups_visible_to(user) -> QuerySet:
    return FollowUp.objects.filter(visible(user, "supervision__"))


def client_follow_ups(*, user, client) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(supervision__in=client_supervision_ids(user=user, client=client))


def follow_up_get(*, user, pk):
    return get_object_or_404(
        follow_ups_visible_to(user).select_related("supervision__client", "enrolment__programme"), pk=pk
    )
