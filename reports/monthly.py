"""The monthly report (laporan bulanan) of one office: sections, each one table computed with
aggregate queries; which sections, in what order and under what titles is the office's layout
(ReportLayout, data). The same sections feed the XLSX, CSV and PDF files."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


class Month:
    """The office and the month a report is about, and the supervisions its sections count."""

    def __init__(self, office: Office, month: datetime.date):
        self.office = office
        self.first, self.next_first = month_bounds(month)
        self.last = self.next_first - datetime.timedelta(days=1)
        self.supervisions = Supervision.objects.filter(office=office)
        self.at_end = self.supervisions.filter(_active_on(self.last))  # active at the end of the month


@dataclass(frozen=True)
class SectionKind:
    title: str  # lazy: shown in the reader's language
    build: Callable[[Month], tuple[list, list[list]]]  # the columns and the rows


# Every section a report can hold, in the shipped order. Which of them a report shows, in what order
# and under what titles is each office's data (ReportLayout), so a ministry's new format is a setting.
SECTIONS: dict[str, SectionKind] = {}


def section(key: str, title):
    def register(build):
        SECTIONS[key] = SectionKind(title, build)
        return build
    return register


def build(office: Office, month: datetime.date, layout: list[dict] | None = None) -> list[Section]:
    """The report's sections as `layout` lists them ({"key", "title"}: a blank title keeps the
    shipped one); the shipped layout without one. Only the sections listed are counted."""
    month_ = Month(office, month)
    sections = []
    for entry in layout or shipped_layout():
        kind = SECTIONS.get(entry["key"])
        if kind is None:  # a section a saved layout names and this version of the software no longer has
            continue
        columns, rows = kind.build(month_)
        sections.append(Section(entry["key"], entry.get("title") or str(kind.title), columns, rows))
    return sections


def shipped_layout() -> list[dict]:
    return [{"key": key, "title": ""} for key in SECTIONS]


@section("ringkasan", gettext_lazy("Ringkasan"))
def _summary(m: Month):
    """Clients at the start and end of the month, intakes, closures."""
    start_count = m.supervisions.filter(_active_on(m.first - datetime.timedelta(days=1))).count()
    end_count = m.at_end.count()
    intakes = m.supervisions.filter(start_date__gte=m.first, start_date__lt=m.next_first).count()
    closures = m.supervisions.filter(closed_on__gte=m.first, closed_on__lt=m.next_first).count()
    return [_("Uraian"), _("Jumlah")], [
        [_("Klien pada awal bulan"), start_count], [_("Klien masuk"), intakes],
        [_("Pengakhiran"), closures], [_("Klien pada akhir bulan"), end_count]]


@section("pengakhiran", gettext_lazy("Pengakhiran menurut alasan"))
def _closures(m: Month):
    counts = dict(m.supervisions.filter(closed_on__gte=m.first, closed_on__lt=m.next_first)
                  .values_list("closure_reason").annotate(n=Count("pk")))
    return [_("Alasan"), _("Jumlah")], [[label, counts.get(code, 0)] for code, label in ClosureReason.choices]


def _grouped(queryset, field_name, label, choices):
    counts = dict(queryset.values_list(field_name).annotate(n=Count("pk")))
    return [label, _("Jumlah")], [[str(text), counts.get(code, 0)] for code, text in choices]


@section("dasar_hukum", gettext_lazy("Klien aktif menurut dasar hukum"))
def _legal_bases(m: Month):
    return _grouped(m.at_end, "legal_basis", _("Dasar hukum"), LegalBasis.choices)


@section("tindak_pidana", gettext_lazy("Klien aktif menurut kategori tindak pidana"))
def _offence_categories(m: Month):
    rows = m.at_end.values_list("offence_category__name").annotate(n=Count("pk")).order_by("offence_category__name")
    return [_("Kategori"), _("Jumlah")], [[name, n] for name, n in rows]


@section("risiko", gettext_lazy("Klien aktif menurut tingkat risiko"))
def _risk_levels(m: Month):
    """Unassessed last."""
    return _grouped(m.at_end, "risk_level", _("Tingkat risiko"), [(level, level) for level in LEVELS] + [("", _("Belum diasesmen"))])


@section("tahap", gettext_lazy("Klien aktif menurut tahap"))
def _stages(m: Month):
    return [_("Tahap"), _("Jumlah")], [[str(label), m.at_end.in_stage(stage, m.last).count()] for stage, label in Stage.choices]


@section("kontak", gettext_lazy("Kontak menurut jenis"))
def _contacts(m: Month):
    """Done (attended) and missed by kind; in the total row, the contacts the policy required (owed for
    the days each supervision ran in the month, as on the office dashboard)."""
    contacts = Contact.objects.filter(supervision__office=m.office, occurred_at__gte=day_start(m.first),
                                      occurred_at__lt=day_start(m.next_first))
    done = dict(contacts.filter(attended=True).values_list("kind").annotate(n=Count("pk")))
    missed = dict(contacts.filter(attended=False).values_list("kind").annotate(n=Count("pk")))
    rows = [[str(label), done.get(code, 0), missed.get(code, 0)] for code, label in ContactKind.choices]
    required = contacts_required(m.supervisions, [m.first], until=timezone.localdate())[0]
    rows.append([_("Jumlah (wajib menurut kebijakan: %(n)s)") % {"n": required}, sum(done.values()), sum(missed.values())])
    return [_("Jenis kontak"), _("Dilakukan"), _("Tidak hadir")], rows


@section("asesmen", gettext_lazy("Asesmen selesai"))
def _assessments(m: Month):
    rows = (Assessment.objects.filter(supervision__office=m.office, status="final", assessed_on__gte=m.first, assessed_on__lt=m.next_first)
            .values_list("version__instrument__code", "final_level").annotate(n=Count("pk"))
            .order_by("version__instrument__code", "final_level"))
    return [_("Instrumen"), _("Tingkat"), _("Jumlah")], [list(row) for row in rows]


@section("litmas", gettext_lazy("Litmas menurut jenis"))
def _litmas(m: Month):
    """Requested in the month, approved at a sidang TPP in the month, and of those approved after their deadline."""
    requested = Q(requested_on__gte=m.first, requested_on__lt=m.next_first)
    approved = Q(status=LitmasStatus.APPROVED, tpp_date__gte=m.first, tpp_date__lt=m.next_first)
    counts = {row["kind"]: row for row in Litmas.objects.filter(requested | approved, office=m.office).values("kind").annotate(
        requested=Count("pk", filter=requested), approved=Count("pk", filter=approved),
        late=Count("pk", filter=approved & Q(tpp_date__gt=F("due_on"))))}
    columns = ("requested", "approved", "late")
    rows = [[str(label)] + [counts.get(code, {}).get(column, 0) for column in columns] for code, label in LitmasKind.choices]
    rows.append([_("Jumlah")] + [sum(row[i] for row in rows) for i in range(1, len(columns) + 1)])
    return [_("Jenis Litmas"), _("Diminta"), _("Disetujui TPP"), _("Disetujui lewat batas waktu")], rows


@section("program", gettext_lazy("Program bimbingan menurut jenis"))
def _programmes(m: Month):
    """Sessions, attendances (present) and hours by programme type."""
    sessions = ProgrammeSession.objects.filter(programme__office=m.office, date__gte=m.first, date__lt=m.next_first)
    by_type = {row["programme__programme_type"]: row for row in
               sessions.values("programme__programme_type").annotate(n=Count("pk"), hours=Sum("duration_hours"))}
    present = dict(Attendance.objects.filter(session__in=sessions, status="present")
                   .values_list("session__programme__programme_type").annotate(n=Count("pk")))
    rows = [[str(label), by_type.get(code, {}).get("n", 0), present.get(code, 0), float(by_type.get(code, {}).get("hours") or 0)]
            for code, label in ProgrammeType.choices]
    return [_("Jenis program"), _("Sesi"), _("Kehadiran"), _("Jam sesi")], rows


@section("kerja_sosial", gettext_lazy("Pidana kerja sosial"))
def _community_service(m: Month):
    days = CommunityServiceDay.objects.filter(supervision__office=m.office, date__gte=m.first, date__lt=m.next_first)
    totals = days.aggregate(n=Count("pk"), hours=Sum("hours"), clients=Count("supervision", distinct=True))
    return [_("Uraian"), _("Jumlah")], [
        [_("Klien"), totals["clients"]], [_("Hari kerja"), totals["n"]], [_("Jam kerja"), float(totals["hours"] or 0)]]


@section("tindak_lanjut", gettext_lazy("Tindak lanjut"))
def _follow_ups(m: Month):
    """Due in the month, done, unreached attempts."""
    follow_ups = FollowUp.objects.filter(office=m.office)
    due = follow_ups.filter(due_date__gte=m.first, due_date__lt=m.next_first).count()
    done = follow_ups.filter(done_on__gte=m.first, done_on__lt=m.next_first).count()
    unreached = follow_ups.filter(last_attempt_on__gte=m.first, last_attempt_on__lt=m.next_first, done_on__isnull=True).count()
    return [_("Uraian"), _("Jumlah")], [
        [_("Jatuh tempo bulan ini"), due], [_("Dilakukan"), done], [_("Tidak berhasil dihubungi"), unreached]]


@section("pelanggaran", gettext_lazy("Pelanggaran menurut jenis dan tindakan"))
def _violations(m: Month):
    counts = {(kind, action): n for kind, action, n in Violation.objects.filter(
        supervision__office=m.office, occurred_on__gte=m.first, occurred_on__lt=m.next_first)
        .values_list("kind", "action").annotate(n=Count("pk"))}
    rows = [[str(kind_label)] + [counts.get((kind, action), 0) for action, _label in ViolationAction.choices]
            for kind, kind_label in ViolationKind.choices]
    return [_("Jenis")] + [str(label) for _code, label in ViolationAction.choices], rows


@section("residivisme", gettext_lazy("Peristiwa residivisme"))
def _recidivism(m: Month):
    counts = dict(RecidivismEvent.objects.filter(client__office=m.office, event_date__gte=m.first, event_date__lt=m.next_first)
                  .values_list("kind").annotate(n=Count("pk")))
    return [_("Jenis"), _("Jumlah")], [[str(label), counts.get(code, 0)] for code, label in RecidivismKind.choices]


def _litmas_open_at(office, last, next_first) -> dict[int, int]:
    """Per officer, the Litmas requested by the month's end and not yet approved or cancelled by then."""
    still_open = Q(status__in=LITMAS_OPEN) | Q(decided_at__gte=day_start(next_first))
    return dict(Litmas.objects.filter(still_open, office=office, requested_on__lte=last)
                .values_list("officer").annotate(n=Count("pk")).order_by())


@section("petugas", gettext_lazy("Beban kerja per PK"))
def _officers(m: Month):
    """Caseload, Litmas being written and points at the end of the month; capacity as it stands when the report is made."""
    model = workload_model(m.office.pk)
    officers = list(User.objects.filter(office=m.office, role__in=CASEWORKER_ROLES, is_active=True).order_by("first_name", "username"))
    figures = {row["officer"]: row for row in m.at_end.values("officer").annotate(
        n=Count("pk"), points=Sum(points_expression(model, prefix="")))}
    litmas = _litmas_open_at(m.office, m.last, m.next_first)
    capacity = capacities(officers, model)
    rows = []
    for officer in officers:
        n = figures.get(officer.pk, {}).get("n", 0)
        writing = litmas.get(officer.pk, 0)
        points = model.load_points(figures.get(officer.pk, {}).get("points") or 0, writing)
        capacity_points = capacity[officer.pk]
        percent = round(100 * points / capacity_points) if capacity_points else ""
        rows.append([str(officer), n, writing, points, float(capacity_points), percent])
    return [_("PK"), _("Klien aktif"), _("Litmas disusun"), _("Poin"), _("Kapasitas (poin)"), _("Beban %")], rows
