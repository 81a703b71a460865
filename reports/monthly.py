"""The monthly report (laporan bulanan) of one office: a fixed list of sections, each one table
computed with aggregate queries. The layout is data here, documented in REPORT_LAYOUT below, and
the same sections feed the XLSX, CSV and PDF files."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import LEVELS, LITMAS_OPEN, Assessment, Litmas, LitmasKind, LitmasStatus
from bapas.days import day_start
from bapas.models import CASEWORKER_ROLES, Office, User
from clients.models import (
    ClosureReason,
    Contact,
    ContactKind,
    LegalBasis,
    RecidivismEvent,
    RecidivismKind,
    Stage,
    Supervision,
    Violation,
    ViolationAction,
    ViolationKind,
)
from programs.models import Attendance, CommunityServiceDay, FollowUp, ProgrammeSession, ProgrammeType

from .trends import contacts_required
from .workload import capacities, points_expression, workload_model

REPORT_LAYOUT = """
 1 ringkasan      Clients at the start and end of the month, intakes, closures.
 2 pengakhiran    Closures by reason.
 3 dasar_hukum    Active clients at the end of the month by legal basis.
 4 tindak_pidana  Active clients by offence category.
 5 risiko         Active clients by risk level (unassessed last).
 6 tahap          Active clients by stage.
 7 kontak         Contacts by kind: done (attended), missed; required (policy, owed for the days each supervision
                  ran in the month, as on the office dashboard) in the total row.
 8 asesmen        Assessments finalised by instrument and level.
 9 litmas         Litmas by type: requested in the month, approved at a sidang TPP in the month, and of those
                  approved after their deadline.
10 program        Programme sessions, attendances (present) and hours by programme type.
11 kerja_sosial   Community-service days and hours.
12 tindak_lanjut  Follow-ups due in the month, done, unreached attempts.
13 pelanggaran    Violations by kind and action.
14 residivisme    Recidivism events by kind.
15 petugas        Caseload, Litmas being written and workload per officer at the end of the month.
"""


@dataclass
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _active_on(day: datetime.date) -> Q:
    """Supervisions running at the end of `day`."""
    return Q(start_date__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def build(office: Office, month: datetime.date) -> list[Section]:
    first, next_first = month_bounds(month)
    last = next_first - datetime.timedelta(days=1)
    supervisions = Supervision.objects.filter(office=office)
    at_end = supervisions.filter(_active_on(last))
    sections = [
        _summary(supervisions, first, next_first, last),
        _closures(supervisions, first, next_first),
        _grouped(at_end, "legal_basis", "dasar_hukum", _("Klien aktif menurut dasar hukum"), _("Dasar hukum"),
                 [(code, label) for code, label in LegalBasis.choices]),
        _offence_categories(at_end),
        _grouped(at_end, "risk_level", "risiko", _("Klien aktif menurut tingkat risiko"), _("Tingkat risiko"),
                 [(level, level) for level in LEVELS] + [("", _("Belum diasesmen"))]),
        _stages(at_end, last),
        _contacts(office, first, next_first, supervisions),
        _assessments(office, first, next_first),
        _litmas(office, first, next_first),
        _programmes(office, first, next_first),
        _community_service(office, first, next_first),
        _follow_ups(office, first, next_first),
        _violations(office, first, next_first),
        _recidivism(office, first, next_first),
        _officers(office, at_end, last, next_first),
    ]
    return sections


def _summary(supervisions, first, next_first, last) -> Section:
    start_count = supervisions.filter(_active_on(first - datetime.timedelta(days=1))).count()
    end_count = supervisions.filter(_active_on(last)).count()
    intakes = supervisions.filter(start_date__gte=first, start_date__lt=next_first).count()
    closures = supervisions.filter(closed_on__gte=first, closed_on__lt=next_first).count()
    return Section("ringkasan", _("Ringkasan"), [_("Uraian"), _("Jumlah")], [
        [_("Klien pada awal bulan"), start_count], [_("Klien masuk"), intakes],
        [_("Pengakhiran"), closures], [_("Klien pada akhir bulan"), end_count]])


def _closures(supervisions, first, next_first) -> Section:
    counts = dict(supervisions.filter(closed_on__gte=first, closed_on__lt=next_first)
                  .values_list("closure_reason").annotate(n=Count("pk")))
    rows = [[label, counts.get(code, 0)] for code, label in ClosureReason.choices]
    return Section("pengakhiran", _("Pengakhiran menurut alasan"), [_("Alasan"), _("Jumlah")], rows)


def _grouped(queryset, field_name, key, title, label, choices) -> Section:
    counts = dict(queryset.values_list(field_name).annotate(n=Count("pk")))
    rows = [[str(text), counts.get(code, 0)] for code, text in choices]
    return Section(key, title, [label, _("Jumlah")], rows)


def _offence_categories(at_end) -> Section:
    rows = [[name, n] for name, n in at_end.values_list("offence_category__name").annotate(n=Count("pk")).order_by("offence_category__name")]
    return Section("tindak_pidana", _("Klien aktif menurut kategori tindak pidana"), [_("Kategori"), _("Jumlah")], rows)


def _stages(at_end, day) -> Section:
    rows = [[str(label), at_end.in_stage(stage, day).count()] for stage, label in Stage.choices]
    return Section("tahap", _("Klien aktif menurut tahap"), [_("Tahap"), _("Jumlah")], rows)


def _contacts(office, first, next_first, supervisions) -> Section:
    contacts = Contact.objects.filter(supervision__office=office, occurred_at__gte=day_start(first), occurred_at__lt=day_start(next_first))
    done = dict(contacts.filter(attended=True).values_list("kind").annotate(n=Count("pk")))
    missed = dict(contacts.filter(attended=False).values_list("kind").annotate(n=Count("pk")))
    rows = [[str(label), done.get(code, 0), missed.get(code, 0)] for code, label in ContactKind.choices]
    required = contacts_required(supervisions, [first], until=timezone.localdate())[0]
    rows.append([_("Jumlah (wajib menurut kebijakan: %(n)s)") % {"n": required}, sum(done.values()), sum(missed.values())])
    return Section("kontak", _("Kontak menurut jenis"), [_("Jenis kontak"), _("Dilakukan"), _("Tidak hadir")], rows)


def _assessments(office, first, next_first) -> Section:
    rows = (Assessment.objects.filter(supervision__office=office, status="final", assessed_on__gte=first, assessed_on__lt=next_first)
            .values_list("version__instrument__code", "final_level").annotate(n=Count("pk")).order_by("version__instrument__code", "final_level"))
    return Section("asesmen", _("Asesmen selesai"), [_("Instrumen"), _("Tingkat"), _("Jumlah")], [list(row) for row in rows])


def _litmas(office, first, next_first) -> Section:
    requested = Q(requested_on__gte=first, requested_on__lt=next_first)
    approved = Q(status=LitmasStatus.APPROVED, tpp_date__gte=first, tpp_date__lt=next_first)
    counts = {row["kind"]: row for row in Litmas.objects.filter(requested | approved, office=office).values("kind").annotate(
        requested=Count("pk", filter=requested), approved=Count("pk", filter=approved),
        late=Count("pk", filter=approved & Q(tpp_date__gt=F("due_on"))))}
    columns = ("requested", "approved", "late")
    rows = [[str(label)] + [counts.get(code, {}).get(column, 0) for column in columns] for code, label in LitmasKind.choices]
    rows.append([_("Jumlah")] + [sum(row[i] for row in rows) for i in range(1, len(columns) + 1)])
    return Section("litmas", _("Litmas menurut jenis"), [_("Jenis Litmas"), _("Diminta"), _("Disetujui TPP"), _("Disetujui lewat batas waktu")], rows)


def _programmes(office, first, next_first) -> Section:
    sessions = ProgrammeSession.objects.filter(programme__office=office, date__gte=first, date__lt=next_first)
    by_type = {row["programme__programme_type"]: row for row in
               sessions.values("programme__programme_type").annotate(n=Count("pk"), hours=Sum("duration_hours"))}
    present = dict(Attendance.objects.filter(session__in=sessions, status="present")
                   .values_list("session__programme__programme_type").annotate(n=Count("pk")))
    rows = [[str(label), by_type.get(code, {}).get("n", 0), present.get(code, 0), float(by_type.get(code, {}).get("hours") or 0)]
            for code, label in ProgrammeType.choices]
    return Section("program", _("Program bimbingan menurut jenis"), [_("Jenis program"), _("Sesi"), _("Kehadiran"), _("Jam sesi")], rows)


def _community_service(office, first, next_first) -> Section:
    days = CommunityServiceDay.objects.filter(supervision__office=office, date__gte=first, date__lt=next_first)
    totals = days.aggregate(n=Count("pk"), hours=Sum("hours"), clients=Count("supervision", distinct=True))
    return Section("kerja_sosial", _("Pidana kerja sosial"), [_("Uraian"), _("Jumlah")], [
        [_("Klien"), totals["clients"]], [_("Hari kerja"), totals["n"]], [_("Jam kerja"), float(totals["hours"] or 0)]])


def _follow_ups(office, first, next_first) -> Section:
    follow_ups = FollowUp.objects.filter(office=office)
    due = follow_ups.filter(due_date__gte=first, due_date__lt=next_first).count()
    done = follow_ups.filter(done_on__gte=first, done_on__lt=next_first).count()
    unreached = follow_ups.filter(last_attempt_on__gte=first, last_attempt_on__lt=next_first, done_on__isnull=True).count()
    return Section("tindak_lanjut", _("Tindak lanjut"), [_("Uraian"), _("Jumlah")], [
        [_("Jatuh tempo bulan ini"), due], [_("Dilakukan"), done], [_("Tidak berhasil dihubungi"), unreached]])


def _violations(office, first, next_first) -> Section:
    counts = {(kind, action): n for kind, action, n in Violation.objects.filter(
        supervision__office=office, occurred_on__gte=first, occurred_on__lt=next_first)
        .values_list("kind", "action").annotate(n=Count("pk"))}
    rows = [[str(kind_label)] + [counts.get((kind, action), 0) for action, _label in ViolationAction.choices]
            for kind, kind_label in ViolationKind.choices]
    return Section("pelanggaran", _("Pelanggaran menurut jenis dan tindakan"),
                   [_("Jenis")] + [str(label) for _code, label in ViolationAction.choices], rows)


def _recidivism(office, first, next_first) -> Section:
    counts = dict(RecidivismEvent.objects.filter(client__office=office, event_date__gte=first, event_date__lt=next_first)
                  .values_list("kind").annotate(n=Count("pk")))
    return Section("residivisme", _("Peristiwa residivisme"), [_("Jenis"), _("Jumlah")],
                   [[str(label), counts.get(code, 0)] for code, label in RecidivismKind.choices])


def _litmas_open_at(office, last, next_first) -> dict[int, int]:
    """Per officer, the Litmas requested by the month's end and not yet approved or cancelled by then."""
    still_open = Q(status__in=LITMAS_OPEN) | Q(decided_at__gte=day_start(next_first))
    return dict(Litmas.objects.filter(still_open, office=office, requested_on__lte=last)
                .values_list("officer").annotate(n=Count("pk")).order_by())


def _officers(office, at_end, last, next_first) -> Section:
    """Caseload, Litmas being written and points at the end of the month; capacity as it stands when the report is made."""
    model = workload_model(office.pk)
    officers = list(User.objects.filter(office=office, role__in=CASEWORKER_ROLES, is_active=True).order_by("first_name", "username"))
    figures = {row["officer"]: row for row in at_end.values("officer").annotate(
        n=Count("pk"), points=Sum(points_expression(model, prefix="")))}
    litmas = _litmas_open_at(office, last, next_first)
    capacity = capacities(officers, model)
    rows = []
    for officer in officers:
        n = figures.get(officer.pk, {}).get("n", 0)
        writing = litmas.get(officer.pk, 0)
        points = model.load_points(figures.get(officer.pk, {}).get("points") or 0, writing)
        capacity_points = capacity[officer.pk]
        percent = round(100 * points / capacity_points) if capacity_points else ""
        rows.append([str(officer), n, writing, points, float(capacity_points), percent])
    return Section("petugas", _("Beban kerja per PK"),
                   [_("PK"), _("Klien aktif"), _("Litmas disusun"), _("Poin"), _("Kapasitas (poin)"), _("Beban %")], rows)
