from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from bapas.access import require_client_writer, require_office_admin
from bapas.audit import audit_log, audit_record_opened
from bapas.concurrency import save_from_form, save_unless_changed
from bapas.days import asked_day
from bapas.links import back_or, query_without
from clients.forms import DeleteForm
from clients.selectors import supervision_get
from clients.views import deletion_page

from . import selectors, services
from .filters import FollowUpFilter
from .followups import follow_up_correct, follow_up_record
from .forms import (
    NOT_RECORDED,
    EnrolForm,
    FollowUpCorrectForm,
    FollowUpForm,
    FollowUpPlanForm,
    PartnerForm,
    ProgrammeForm,
    ScheduleForm,
    ServiceDayCorrectForm,
    ServiceDayForm,
    SessionCorrectForm,
    SessionForm,
    StatusForm,
    attendance_from_post,
)
from .models import (
    DEFAULT_FOLLOW_UP_MONTHS,
    OPEN_STATUSES,
    SITUATION_FIELDS,
    Attendance,
    AttendanceStatus,
    Delivery,
    EnrolmentStatus,
    FollowUpPlan,
    PlannedSession,
    ProgrammeSession,
    ProgrammeType,
)


def _require_programme_manager(user):
    if not (user.is_office_admin or user.is_supervisor):
        raise PermissionDenied(_("Hanya admin kantor atau Kasi/Kasubsi yang mengelola program dan mitra."))


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = selectors.partners_of(request.user).order_by("-active", "name")
    query = request.GET.get("q", "").strip()
    if query:
        partners = partners.filter(Q(name__icontains=query) | Q(contact_person__icontains=query))
    page = Paginator(partners, 25).get_page(request.GET.get("page"))
    context = {"page": page, "q": query, "expiring": list(selectors.partners_expiring(request.user)),
               "can_manage": request.user.is_office_admin or request.user.is_supervisor}
    return render(request, "programs/partner_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_programme_manager(request.user)
    partner = get_object_or_404(selectors.partners_of(request.user), pk=pk) if pk else None
    form = PartnerForm(request.POST or None, instance=partner)
    form.instance.office_id = request.user.office_id
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_unless_changed(form, lambda: services.partner_save(by=request.user, partner=form.instance, created=partner is None))
        if status is None:
            messages.success(request, _("Mitra disimpan."))
            return redirect("programs:partners")
    return render(request, "programs/partner_form.html", {"form": form, "partner": partner}, status=status)


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = selectors.with_places(selectors.programmes_of(request.user)).select_related("facilitator_partner", "facilitator_officer")
    query, kind = request.GET.get("q", "").strip(), request.GET.get("type", "")
    if query:
        programmes = programmes.filter(name__icontains=query)
    if kind in ProgrammeType.values:
        programmes = programmes.filter(programme_type=kind)
    if request.GET.get("inactive") != "1":
        programmes = programmes.filter(active=True)
    page = Paginator(programmes.order_by("name", "pk"), 25).get_page(request.GET.get("page"))
    context = {"page": page, "q": query, "type": kind, "types": ProgrammeType.choices,
               "can_manage": request.user.is_office_admin or request.user.is_supervisor}
    return render(request, "programs/programme_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_programme_manager(request.user)
    programme = selectors.programme_get(user=request.user, pk=pk) if pk else None
    form = ProgrammeForm(request.POST or None, instance=programme, office=request.user.office)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_unless_changed(form, lambda: services.programme_save(by=request.user, programme=form.instance,
                                                                           created=programme is None))
        if status is None:
            messages.success(request, _("Program disimpan."))
            return redirect("programs:programme_detail", pk=form.instance.pk)
    return render(request, "programs/programme_form.html", {"form": form, "programme": programme}, status=status)


# A programme's sessions and schedule are kept by its facilitator and the Kasi; what the others are told.
SESSIONS_BY = gettext_lazy("Sesi dicatat oleh fasilitator program atau Kasi/Kasubsi.")
SCHEDULE_BY = gettext_lazy("Jadwal diatur oleh fasilitator program atau Kasi/Kasubsi.")


def _require_logger(user, programme, refusal) -> None:
    """403 with the refusal unless the user logs the programme's sessions (selectors.may_log_sessions)."""
    if not selectors.may_log_sessions(user, programme):
        raise PermissionDenied(refusal)


SCHEDULE_SHOWN = 10  # the next dates on a programme's page

# The participants' tabs on a programme's page: taking part now, ended (every other status), all.
TAKING_PART = Q(status__in=OPEN_STATUSES)
PARTICIPANT_TABS = {"open": TAKING_PART, "ended": ~TAKING_PART, "all": Q()}


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme, its participants (those taking part now unless another tab is chosen, each with
    their hours against the planned hours) and its sessions, each list paged on its own."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    may_log = selectors.may_log_sessions(request.user, programme)
    participants = selectors.programme_participants(user=request.user, programme=programme)
    tab = request.GET.get("peserta_status") if request.GET.get("peserta_status") in PARTICIPANT_TABS else "open"
    counts = participants.aggregate(open=Count("pk", filter=TAKING_PART), all=Count("pk"))
    listed = participants.filter(PARTICIPANT_TABS[tab])
    sessions = Paginator(programme.sessions.order_by("-date", "-id"), 20).get_page(request.GET.get("sesi"))
    context = {
        "programme": programme, "tab": tab, "counts": {**counts, "ended": counts["all"] - counts["open"]},
        "participants": Paginator(listed, 25).get_page(request.GET.get("peserta")), "sessions": sessions,
        "participants_query": query_without(request.GET, "peserta"), "sessions_query": query_without(request.GET, "sesi"),
        "tab_query": query_without(request.GET, "peserta", "peserta_status"),
        "schedule": list(programme.schedule.filter(date__gte=timezone.localdate())[:SCHEDULE_SHOWN]),
        "may_log": may_log,
        # Past dates with no session logged, for those who log them: each is logged, or marked as not held.
        "unlogged": selectors.programme_unlogged(programme) if may_log else [],
        "can_manage": request.user.is_office_admin or request.user.is_supervisor,
    }
    return render(request, "programs/programme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Puts dates on the programme's schedule: one, or the same weekday and time for several weeks."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    _require_logger(request.user, programme, SCHEDULE_BY)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = services.schedule_add(by=request.user, programme=programme, planned=form.instance, weeks=form.cleaned_data["weeks"])
        messages.success(request, ngettext("%(count)d tanggal ditambahkan ke jadwal.", "%(count)d tanggal ditambahkan ke jadwal.",
                                           len(added)) % {"count": len(added)})
        return redirect(reverse("programs:programme_detail", args=[programme.pk]) + "#jadwal")
    return render(request, "programs/schedule_form.html", {"programme": programme, "form": form})


@login_required
@require_POST
def schedule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Takes a date off the schedule (the session was cancelled or moved, or a past one did not take
    place, which stops its reminder), after asking."""
    planned = get_object_or_404(PlannedSession.objects.select_related("programme__office"),
                                pk=pk, programme__in=selectors.programmes_of(request.user))
    _require_logger(request.user, planned.programme, SCHEDULE_BY)
    services.schedule_remove(by=request.user, planned=planned)
    messages.success(request, _("Tanggal %(day)s dihapus dari jadwal.") % {"day": f"{planned.date:%d-%m-%Y}"})
    return redirect(reverse("programs:programme_detail", args=[planned.programme_id]) + "#jadwal")


@login_required
@require_http_methods(["GET", "POST"])
def session_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a session in one step: the session and every participant's attendance."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    _require_logger(request.user, programme, SESSIONS_BY)
    enrolments = list(
        programme.enrolments.filter(status__in=[EnrolmentStatus.REFERRED, EnrolmentStatus.ACTIVE])
        .select_related("supervision__client").order_by("supervision__client__full_name", "pk")
        # The page names each participant; whole enrolment, supervision and client rows cost more to load.
        .only("programme_id", "supervision__client__full_name")
    )
    # A scheduled session's reminder links here with its date (?tanggal=); the schedule may name its
    # topic, which the form then starts with (looked up only when the form is opened, not when sent).
    # A past date on the schedule may not have taken place: the page says where to mark it so.
    day = asked_day(request)
    on_schedule, topic = selectors.planned_that_day(programme=programme, day=day) if request.method == "GET" else (False, "")
    form = SessionForm(request.POST or None, programme=programme, day=day, topic=topic)
    # A group session is every participant's: each is marked. A session of an individual programme
    # (counselling, family mediation) is one participant's, or a few: only those marked took part.
    individual = programme.delivery == Delivery.INDIVIDUAL
    marks = {}
    if request.method == "POST":
        attendance, missing = attendance_from_post(request.POST, enrolments)
        marks = attendance
        if individual and not attendance:
            form.add_error(None, _("Tandai peserta yang mengikuti sesi ini."))
        elif missing and not individual:
            form.add_error(None, _("Tandai kehadiran setiap peserta: %(names)s.") % {"names": ", ".join(missing)})
        if form.is_valid():
            try:
                services.session_log(by=request.user, session=form.instance, attendance=attendance)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Sesi dan kehadiran dicatat."))
                return redirect("programs:programme_detail", pk=programme.pk)
    context = {"programme": programme, "form": form, "rows": _attendance_rows(enrolments, marks, optional=individual),
               "individual": individual,
               # Marked "not held" on the programme page, which lists the past dates the reminder asks after.
               "not_held_hint": on_schedule and day < timezone.localdate() and selectors.within_unlogged_window(day)}
    return render(request, "programs/session_form.html", context)


def _logged_session(request: HttpRequest, pk: int) -> ProgrammeSession:
    """A logged session to correct or delete: 404 outside the user's office, 403 unless they log its programme's sessions."""
    session = selectors.session_get(user=request.user, pk=pk)
    _require_logger(request.user, session.programme, SESSIONS_BY)
    return session


@login_required
@require_http_methods(["GET", "POST"])
def session_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Corrects a logged session and the attendance it recorded, for those who log sessions."""
    session = _logged_session(request, pk)
    programme = session.programme
    recorded = list(Attendance.objects.filter(session=session).select_related("enrolment__supervision__client")
                    .order_by("enrolment__supervision__client__full_name", "pk")
                    .only("status", "enrolment__programme_id", "enrolment__supervision__client__full_name"))
    enrolments = [mark.enrolment for mark in recorded]
    addable = list(selectors.unrecorded_participants(session).select_related("supervision__client")
                   .order_by("supervision__client__full_name", "pk")
                   .only("programme_id", "supervision__client__full_name"))
    form = SessionCorrectForm(request.POST or None, instance=session, programme=programme)
    marks, status = {mark.enrolment_id: mark.status for mark in recorded}, 200
    if request.method == "POST":
        # A participant recorded by mistake is taken off with "Tidak dicatat" (None).
        marks, missing = attendance_from_post(request.POST, enrolments, removable=True)
        # Those left out may stay out: only a participant given a mark is added.
        marks.update(attendance_from_post(request.POST, addable)[0])
        if missing:
            form.add_error(None, _("Tandai kehadiran setiap peserta: %(names)s.") % {"names": ", ".join(missing)})
        if form.is_valid():
            status = save_from_form(form, lambda: services.session_correct(
                by=request.user, session=form.instance, attendance=marks, expected_version=form.cleaned_data["expected_version"],
                reason=form.cleaned_data["reason"], changed=[f for f in form.changed_data if f != "reason"]))
            if status is None:
                messages.success(request, _("Sesi dan kehadiran dikoreksi."))
                return redirect("programs:programme_detail", pk=programme.pk)
    context = {"programme": programme, "form": form, "rows": _attendance_rows(enrolments, marks, optional=True), "correcting": session,
               "added_rows": _attendance_rows(addable, marks, optional=True),
               "individual": programme.delivery == Delivery.INDIVIDUAL}
    return render(request, "programs/session_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a session logged by mistake (on the wrong programme, or one that never took place) with
    its attendance, after showing what goes and asking why."""
    session = _logged_session(request, pk)
    programme = session.programme
    form = DeleteForm(request.POST or None, initial={"expected_version": session.version},
                      example=_("Misalnya: dicatat pada program yang salah, sesi tidak jadi dilaksanakan."))
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: services.session_delete(
            by=request.user, session=session, expected_version=form.cleaned_data["expected_version"], reason=form.cleaned_data["reason"]))
        if status is None:
            messages.success(request, _("Sesi %(day)s dihapus.") % {"day": f"{session.date:%d-%m-%Y}"})
            return redirect("programs:programme_detail", pk=programme.pk)
    on_schedule, _topic = selectors.planned_that_day(programme=programme, day=session.date)
    context = {"programme": programme, "session": session, "form": form, "counts": selectors.attendance_counts(session),
               # Its date then counts again as a scheduled session not logged (programs.reminders), unless
               # it is older than the reminder looks back.
               "on_schedule": on_schedule and selectors.within_unlogged_window(session.date),
               "cancel_url": reverse("programs:session_correct", args=[session.pk])}
    return render(request, "programs/session_delete.html", context, status=status)


# One radio button of a participant's attendance; PARTICIPANT stands for the enrolment id.
_ATTENDANCE_BUTTON = (
    '<span class="form-check"><input class="form-check-input" type="radio" name="att-{pk}" id="att-{pk}-{value}" '
    'value="{value}" {checked}><label class="form-check-label text-nowrap" for="att-{pk}-{value}">{label}</label></span>'
)
_PARTICIPANT = "987654321"


def _attendance_rows(enrolments, marks: dict, optional: bool = False) -> list:
    """Each participant with their radio buttons, one per attendance status, and for a participant
    who may be left unmarked (or, in a correction, have their recorded mark taken off) a first one,
    "Tidak dicatat", that leaves them so (a radio button cannot be unticked).
    Built here: as two nested template loops (40 participants x 3 statuses) they took longer than
    the rest of the page. Each button is escaped once, then copied for every participant."""
    choices = ([("", _("Tidak dicatat"))] if optional else []) + AttendanceStatus.choices
    buttons = {
        (value, checked): format_html(_ATTENDANCE_BUTTON, pk=_PARTICIPANT, value=value or NOT_RECORDED, label=label,
                                      checked="checked" if checked else "")
        for value, label in choices for checked in (True, False)
    }
    rows = []
    for enrolment in enrolments:
        mark = marks.get(enrolment.pk) or ""  # None: a recorded mark being taken off
        html = "".join(buttons[value, mark == value] for value, _label in choices)
        rows.append((enrolment, mark_safe(html.replace(_PARTICIPANT, str(enrolment.pk)))))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = supervision_get(user=request.user, pk=pk)
    require_client_writer(request.user)
    programmes = selectors.programmes_of(request.user).filter(active=True)
    form = EnrolForm(request.POST or None, supervision=supervision, programmes=programmes,
                     initial={"programme": request.GET.get("programme"), "goal": request.GET.get("goal")})
    if request.method == "POST" and form.is_valid():
        try:
            services.enrol(by=request.user, enrolment=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Klien didaftarkan pada program."))
            if form.instance.goal_id:
                return redirect("assessments:plan", pk=supervision.pk)
            return redirect("clients:detail", pk=supervision.client_id)
    return render(request, "programs/enrol_form.html", {"supervision": supervision, "client": supervision.client, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_status(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    require_client_writer(request.user)
    form = StatusForm(request.POST or None, initial={"row_version": enrolment.row_version})
    audit_record_opened(request, enrolment, client_id=enrolment.supervision.client_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        status = save_from_form(form, lambda: services.enrolment_set_status(
            by=request.user, enrolment=enrolment, status=data["status"], reason=data["reason"], on=data["on"],
            expected_version=data["row_version"]))
        if status is None:
            messages.success(request, _("Status keikutsertaan disimpan."))
            return redirect("clients:detail", pk=enrolment.supervision.client_id)
    context = {"enrolment": enrolment, "client": enrolment.supervision.client, "form": form}
    return render(request, "programs/enrolment_status.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def service_days(request: HttpRequest, pk: int) -> HttpResponse:
    """Community-service (PKS) work days: log a day, see hours done, left and the deadline."""
    supervision = supervision_get(user=request.user, pk=pk)
    if supervision.legal_basis != "PKS":
        raise Http404
    form = ServiceDayForm(request.POST or None, supervision=supervision)
    audit_record_opened(request, supervision, client_id=supervision.client_id)
    if request.method == "POST":
        require_client_writer(request.user)
        if form.is_valid() and save_from_form(form, lambda: services.service_day_log(by=request.user, day=form.instance)) is None:
            messages.success(request, _("Hari kerja sosial dicatat."))
            return redirect("programs:service_days", pk=supervision.pk)
    days = Paginator(supervision.service_days.select_related("recorded_by"), 25).get_page(request.GET.get("page"))
    context = {"supervision": supervision, "client": supervision.client, "form": form, "days": days,
               "summary": services.service_summary(supervision),
               "can_change": request.user.writes_client_files and not services.service_day_refusal(supervision)}
    return render(request, "programs/service_days.html", context)


def _service_day_to_change(request: HttpRequest, pk: int):
    """A logged work day, for a writer of the client's file."""
    day = selectors.service_day_get(user=request.user, pk=pk)
    require_client_writer(request.user)
    return day


@login_required
@require_http_methods(["GET", "POST"])
def service_day_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Corrects a work day logged wrongly (date, hours, place, site supervisor or work), with a reason."""
    day = _service_day_to_change(request, pk)
    supervision = day.supervision
    form = ServiceDayCorrectForm(request.POST or None, instance=day)
    audit_record_opened(request, day, client_id=supervision.client_id)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: services.service_day_correct(
            by=request.user, day=form.instance, expected_version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data["reason"], changed=[f for f in form.changed_data if f != "reason"]))
        if status is None:
            messages.success(request, _("Hari kerja sosial dikoreksi."))
            return redirect("programs:service_days", pk=supervision.pk)
    context = {"client": supervision.client, "supervision": supervision, "day": day, "form": form,
               "refusal": services.service_day_refusal(supervision), "cancel_url": reverse("programs:service_days", args=[supervision.pk])}
    return render(request, "programs/service_day_correct.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def service_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a work day logged by mistake (on the wrong client, or a day not worked), after showing it and asking why."""
    day = _service_day_to_change(request, pk)
    supervision = day.supervision
    return deletion_page(
        request, day, client_id=supervision.client_id,
        example=_("Misalnya: dicatat pada klien yang salah, klien tidak bekerja pada hari itu."),
        delete=lambda version, reason: services.service_day_delete(by=request.user, day=day, expected_version=version, reason=reason),
        done=_("Hari kerja sosial %(day)s dihapus.") % {"day": f"{day.date:%d-%m-%Y}"},
        done_url=reverse("programs:service_days", args=[supervision.pk]),
        template="programs/service_day_delete.html",
        context={"client": supervision.client, "supervision": supervision, "day": day, "refusal": services.service_day_refusal(supervision),
                 "cancel_url": reverse("programs:service_day_correct", args=[day.pk])})


@login_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """Follow-ups due within two weeks (by default), overdue, open or done, for the user's clients."""
    user = request.user
    follow_ups = FollowUpFilter(request.GET, user=user, queryset=selectors.follow_ups_visible_to(user).select_related(
        "supervision__client", "supervision__officer", "enrolment__programme"))
    page = Paginator(follow_ups.qs.order_by("due_date", "pk"), 25).get_page(request.GET.get("page"))
    context = {"filter": follow_ups, "page": page, "show": follow_ups.tab, "querystring": query_without(request.GET, "page"),
               "tab_querystring": query_without(request.GET, "page", "show"), "office_wide": not user.is_caseworker}
    return render(request, "programs/follow_up_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = selectors.follow_up_get(user=request.user, pk=pk)
    if follow_up.done_on is not None:
        return _follow_up_correct(request, follow_up)
    form = FollowUpForm(request.POST or None, initial={"on": timezone.localdate(), "row_version": follow_up.row_version})
    audit_record_opened(request, follow_up, client_id=follow_up.supervision.client_id)
    status = 200
    if request.method == "POST":
        require_client_writer(request.user)
        if form.is_valid():
            status = save_from_form(form, lambda: follow_up_record(
                by=request.user, follow_up=follow_up, reached=form.cleaned_data["reached"], data=form.cleaned_data,
                expected_version=form.cleaned_data["row_version"]))
            if status is None:
                messages.success(request, _("Tindak lanjut dicatat."))
                return redirect(back_or(request, reverse("programs:follow_ups")))
    # Opened from "Hari ini": saving or cancelling goes back there.
    context = {"follow_up": follow_up, "client": follow_up.supervision.client, "form": form,
               "cancel_url": back_or(request, reverse("clients:detail", args=[follow_up.supervision.client_id]))}
    return render(request, "programs/follow_up_form.html", context, status=status)


def _follow_up_correct(request: HttpRequest, follow_up) -> HttpResponse:
    """A done follow-up's page: what it recorded, corrected with a reason (a wrong outcome, a wrong date)."""
    initial = {"on": follow_up.done_on, "row_version": follow_up.row_version,
               **{field: getattr(follow_up, field) for field in ("method", *SITUATION_FIELDS)}}
    form = FollowUpCorrectForm(request.POST or None, initial=initial)
    audit_record_opened(request, follow_up, client_id=follow_up.supervision.client_id)
    status = 200
    if request.method == "POST":
        require_client_writer(request.user)
        if form.is_valid():
            status = save_from_form(form, lambda: follow_up_correct(
                by=request.user, follow_up=follow_up, data=form.cleaned_data, reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["row_version"]))
            if status is None:
                messages.success(request, _("Tindak lanjut dikoreksi."))
                return redirect(back_or(request, reverse("programs:follow_ups") + "?show=done"))
    context = {"follow_up": follow_up, "client": follow_up.supervision.client, "form": form,
               "cancel_url": back_or(request, reverse("clients:detail", args=[follow_up.supervision.client_id]))}
    return render(request, "programs/follow_up_correct.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_plan(request: HttpRequest) -> HttpResponse:
    """The office's follow-up offsets (data, not code). New schedules use them; existing ones stay."""
    require_office_admin(request.user)
    plan, _created = FollowUpPlan.objects.get_or_create(office_id=request.user.office_id, defaults={"months": DEFAULT_FOLLOW_UP_MONTHS})
    form = FollowUpPlanForm(request.POST or None, instance=plan, initial={"months": ", ".join(str(m) for m in plan.months)})
    status = 200

    def save():
        plan.months = form.cleaned_data["months"]
        plan.save()
        audit_log(actor=request.user, action="follow_up_plan.update", obj=plan, office=request.user.office, detail={"months": plan.months})

    if request.method == "POST" and form.is_valid():
        status = save_unless_changed(form, save)
        if status is None:
            messages.success(request, _("Jadwal tindak lanjut disimpan."))
            return redirect("bapas:settings")
    return render(request, "programs/follow_up_plan.html", {"form": form}, status=status)
