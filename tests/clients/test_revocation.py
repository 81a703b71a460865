"""Revocation (pencabutan) step by step: berita acara → sidang TPP → Kabapas's temporary suspension →
proposal sent upward → decision; each step by its role, in date order, refusing stale forms; a
revocation closes the supervision and counts as a technical revocation. A court's sentence goes from
the TPP to the jaksa and the court instead."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from bapas.reminders import due_for
from clients.models import RecidivismEvent, Revocation, Violation
from tests.factories import ViolationFactory

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def violation(supervision, pk):
    return ViolationFactory(supervision=supervision, kind="missed_reporting", occurred_on=TODAY() - 10 * DAY, recorded_by=pk)


def start(login, user, violation, **changes):
    data = {"report_number": "BA/01/2026", "report_date": (TODAY() - 8 * DAY).isoformat(), **changes}
    return login(user).post(reverse("clients:revocation_start", args=[violation.pk]), data)


def step(login, user, case, **data):
    case.refresh_from_db()
    return login(user).post(reverse("clients:revocation_detail", args=[case.pk]), {"version": case.version, **data})


def tpp(recommends="yes", days_ago=6):
    return {"tpp_date": (TODAY() - days_ago * DAY).isoformat(), "tpp_number": "TPP/9/2026", "recommends": recommends, "notes": ""}


def carried_to_decision(login, pk, supervisor, head, violation):
    start(login, pk, violation)
    case = Revocation.objects.get()
    step(login, supervisor, case, **tpp())
    step(login, head, case, suspended_on=(TODAY() - 5 * DAY).isoformat(), suspension_number="KEP/1")
    step(login, supervisor, case, sent_on=(TODAY() - 4 * DAY).isoformat(), sent_letter_number="SRT/2", sent_to="Kanwil")
    case.refresh_from_db()
    assert case.stage == "sent"
    return case


@pytest.mark.django_db
def test_the_whole_path_to_a_revocation_closes_the_supervision(login, pk, supervisor, head, violation, supervision):
    case = carried_to_decision(login, pk, supervisor, head, violation)
    violation.refresh_from_db()
    assert violation.status == "in_tpp"
    response = step(login, supervisor, case, decided_on=(TODAY() - DAY).isoformat(), decision_number="PAS-123", revoked="yes")
    assert response.status_code == 302
    case.refresh_from_db()
    supervision.refresh_from_db()
    violation.refresh_from_db()
    assert case.stage == "revoked" and violation.status == "resolved"
    assert (supervision.closed_on, supervision.closure_reason) == (TODAY() - DAY, "revoked")
    event = RecidivismEvent.objects.get()
    assert (event.kind, event.event_date, event.violation) == ("technical_revocation", TODAY() - DAY, violation)
    actions = list(AuditEntry.objects.filter(action__startswith="revocation.").order_by("pk").values_list("action", flat=True))
    assert actions == ["revocation.start", "revocation.tpp", "revocation.suspend", "revocation.send", "revocation.decide"]
    page = login(pk).get(reverse("clients:timeline", args=[supervision.client_id])).content.decode()
    assert "Keputusan pencabutan: PAS-123" in page and "Dicabut sementara oleh Kabapas: KEP/1" in page


@pytest.mark.django_db
def test_a_tpp_that_does_not_recommend_ends_the_case_and_supervision_runs_on(login, pk, supervisor, violation, supervision):
    start(login, pk, violation)
    case = Revocation.objects.get()
    step(login, supervisor, case, **tpp(recommends="no"))
    case.refresh_from_db()
    supervision.refresh_from_db()
    assert case.stage == "not_revoked" and supervision.closed_on is None and not RecidivismEvent.objects.exists()
    assert Violation.objects.get().status == "resolved"


@pytest.mark.django_db
def test_reminders_pause_while_suspended_and_resume_when_not_revoked(login, pk, supervisor, head, violation, supervision):
    supervision.next_contact_due = TODAY() - 3 * DAY
    supervision.save()
    assert "contact_overdue" in {kind for kind, items in due_for(pk).items() if items}
    case = carried_to_decision(login, pk, supervisor, head, violation)
    supervision.refresh_from_db()
    assert supervision.next_contact_due is None and supervision.reporting_check_from == datetime.date.max
    assert supervision.suspended_on == TODAY() - 5 * DAY
    assert "contact_overdue" not in {kind for kind, items in due_for(pk).items() if items}
    # An assessment finalised while suspended does not bring the contact back (the intensity policy
    # works the schedule out again, and the suspension still holds).
    from assessments.policy import intensity_apply
    from clients.services import contact_log
    from tests.factories import ContactFactory

    intensity_apply(supervision=supervision)
    contact_log(by=pk, contact=ContactFactory.build(supervision=supervision, kind="home_visit"))
    supervision.refresh_from_db()
    assert supervision.next_contact_due is None and supervision.reporting_check_from == datetime.date.max
    caseload = login(pk).get(reverse("clients:list")).content.decode()
    assert 'data-testid="suspended"' in caseload
    assert not login(pk).get(reverse("clients:list")).context["page"].object_list[0].contact_overdue
    step(login, supervisor, case, decided_on=TODAY().isoformat(), decision_number="PAS-9", revoked="no")
    case.refresh_from_db()
    supervision.refresh_from_db()
    assert case.stage == "not_revoked" and supervision.closed_on is None
    assert supervision.next_contact_due is not None and supervision.reporting_check_from != datetime.date.max
    assert supervision.suspended_on is None


@pytest.mark.django_db
def test_each_step_is_the_act_of_its_role(login, pk, supervisor, head, violation):
    start(login, pk, violation)
    case = Revocation.objects.get()
    assert step(login, pk, case, **tpp()).status_code == 403  # the TPP is the Kasi's to record
    assert step(login, head, case, **tpp()).status_code == 403
    page = login(pk).get(reverse("clients:revocation_detail", args=[case.pk])).content.decode()
    assert "Menunggu langkah Kasi/Kasubsi" in page
    step(login, supervisor, case, **tpp())
    case.refresh_from_db()
    assert case.stage == "tpp"
    assert step(login, pk, case, suspended_on=TODAY().isoformat(), suspension_number="K").status_code == 403
    assert "Menunggu langkah" not in login(head).get(reverse("clients:revocation_detail", args=[case.pk])).content.decode()


@pytest.mark.django_db
def test_dates_must_follow_each_other_and_not_be_in_the_future(login, pk, supervisor, violation):
    response = start(login, pk, violation, report_date=(TODAY() - 20 * DAY).isoformat())  # before the violation
    assert "tidak boleh sebelum tanggal pelanggaran" in response.content.decode()
    assert not Revocation.objects.exists()
    start(login, pk, violation)
    case = Revocation.objects.get()
    response = step(login, supervisor, case, **tpp(days_ago=9))  # before the berita acara
    assert "tidak boleh sebelum berita acara" in response.content.decode()
    response = step(login, supervisor, case, **tpp(days_ago=-1))
    assert "tidak boleh di masa depan" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "reported"


@pytest.mark.django_db
def test_a_stale_step_is_refused_and_one_case_per_violation(login, pk, supervisor, violation):
    start(login, pk, violation)
    case = Revocation.objects.get()
    response = login(supervisor).post(reverse("clients:revocation_detail", args=[case.pk]), {"version": case.version - 1, **tpp()})
    assert response.status_code == 409
    again = start(login, pk, violation)
    assert again.status_code == 302 and Revocation.objects.count() == 1  # the start page leads to the case there is


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pk2", "outsider", "outsider_supervisor"])
def test_outsiders_get_404(login, request, pk, violation, who):
    start(login, pk, violation)
    case = Revocation.objects.get()
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("clients:revocation_detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("clients:revocation_detail", args=[case.pk]), {"version": 1, **tpp()}).status_code == 404
    assert client.get(reverse("clients:revocation_start", args=[violation.pk])).status_code == 404
    case.refresh_from_db()
    assert case.stage == "reported"


@pytest.mark.django_db
def test_the_next_step_reaches_whose_act_it_is(login, pk, supervisor, head, violation):
    def kinds(user):
        return {kind for kind, items in due_for(user).items() if items}

    start(login, pk, violation)
    case = Revocation.objects.get()
    assert "revocation_next_step" in kinds(supervisor) and "revocation_next_step" not in kinds(head)
    step(login, supervisor, case, **tpp())
    assert "revocation_next_step" not in kinds(supervisor) and "revocation_next_step" in kinds(head)
    page = login(pk).get(reverse("clients:detail", args=[violation.supervision.client_id])).content.decode()
    assert "TPP merekomendasikan pencabutan, menunggu Kabapas" in page


@pytest.mark.django_db
@pytest.mark.parametrize("basis", ["PWS", "PKS", "PBS"])
def test_a_court_sentence_goes_to_the_jaksa_and_the_court_decides(login, pk, supervisor, head, violation, supervision, basis):
    """No suspension by the Kabapas: after the TPP the PK's consideration goes to the jaksa, and the
    court's decision ends the case."""
    supervision.legal_basis = basis
    supervision.save()
    start(login, pk, violation)
    case = Revocation.objects.get()
    step(login, supervisor, case, **tpp())
    page = login(head).get(reverse("clients:revocation_detail", args=[case.pk])).content.decode()
    assert "Tanggal surat pertimbangan" in page and "Kepala Kejaksaan Negeri" in page
    assert "Pencabutan sementara oleh Kabapas" not in page and "Tanggal pencabutan sementara" not in page
    assert "menunggu surat pertimbangan ke jaksa" in login(pk).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    # A suspension sent anyway (an old form, a hand-made request) is refused by the service itself.
    from django.core.exceptions import ValidationError

    from clients.revocation import revocation_suspend

    case.refresh_from_db()
    with pytest.raises(ValidationError, match="jaksa"):
        revocation_suspend(by=head, revocation=case, suspended_on=TODAY(), suspension_number="KEP/1", expected_version=case.version)
    # The letter must not be dated before the hearing.
    response = step(login, head, case, sent_on=(TODAY() - 7 * DAY).isoformat(), sent_letter_number="W.PK/5", sent_to="Kejari Kota")
    assert response.status_code == 200 and "sebelum sidang TPP" in response.content.decode()
    step(login, head, case, sent_on=(TODAY() - 5 * DAY).isoformat(), sent_letter_number="W.PK/5", sent_to="Kejari Kota")
    case.refresh_from_db()
    assert case.stage == "sent" and case.suspended_on is None
    assert case.stage_label == "Pertimbangan dikirim ke jaksa, menunggu putusan pengadilan"
    supervision.refresh_from_db()
    assert supervision.suspended_on is None and supervision.next_contact_due is not None  # the client is not in custody
    page = login(supervisor).get(reverse("clients:revocation_detail", args=[case.pk])).content.decode()
    assert "Tanggal putusan pengadilan" in page and "Pengadilan mencabut pidana ini?" in page
    step(login, supervisor, case, decided_on=(TODAY() - DAY).isoformat(), decision_number="12/Pid.Sus/2026/PN", revoked="yes")
    case.refresh_from_db()
    supervision.refresh_from_db()
    assert case.stage == "revoked" and (supervision.closed_on, supervision.closure_reason) == (TODAY() - DAY, "revoked")
    assert RecidivismEvent.objects.get().kind == "technical_revocation"
    timeline = login(pk).get(reverse("clients:timeline", args=[supervision.client_id])).content.decode()
    assert "Surat pertimbangan ke jaksa: W.PK/5" in timeline and "Putusan pengadilan atas pencabutan: 12/Pid.Sus/2026/PN" in timeline
    assert "Dicabut oleh putusan pengadilan" in login(pk).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()


@pytest.mark.django_db
def test_weeks_in_custody_are_no_missed_reports_once_the_suspension_is_lifted(login, pk, supervisor, head, supervision):
    """Arrested for a new offence, suspended for months, not revoked: the wajib lapor and contacts
    count again from the decision, not from the last report before custody."""
    from clients.services import supervision_suspension_set
    from tests.factories import ContactFactory

    def kinds(user):
        return {kind for kind, items in due_for(user).items() if items}

    Supervision = type(supervision)
    Supervision.objects.filter(pk=supervision.pk).update(start_date=TODAY() - 300 * DAY, end_date=TODAY() + 300 * DAY)
    supervision.refresh_from_db()
    ContactFactory(supervision=supervision, occurred_at=timezone.now() - 200 * DAY)  # the last report before custody
    offence = ViolationFactory(supervision=supervision, kind="new_offence", occurred_on=TODAY() - 190 * DAY, recorded_by=pk)
    start(login, pk, offence, report_date=(TODAY() - 185 * DAY).isoformat())
    case = Revocation.objects.get()
    step(login, supervisor, case, **tpp(days_ago=180))
    step(login, head, case, suspended_on=(TODAY() - 175 * DAY).isoformat(), suspension_number="KEP/1")
    step(login, supervisor, case, sent_on=(TODAY() - 170 * DAY).isoformat(), sent_letter_number="SRT/2", sent_to="Kanwil")
    step(login, supervisor, case, decided_on=(TODAY() - 10 * DAY).isoformat(), decision_number="PAS-9", revoked="no")
    supervision.refresh_from_db()
    assert (supervision.suspended_on, supervision.resumed_on) == (None, TODAY() - 10 * DAY)
    # Before the fix, six months of implied misses made a "dasar pencabutan" at once, and the contact was overdue since custody.
    assert "wajib_lapor_missed" not in kinds(supervisor)
    assert supervision.next_contact_due == TODAY() + 20 * DAY and "contact_overdue" not in kinds(pk)
    assert supervision.reporting_check_from >= TODAY() - 10 * DAY
    # Three months after the release without a report, the run is a ground again, its dates all after the release.
    with transaction.atomic():
        supervision_suspension_set(supervision=supervision, suspended_on=None, resumed_on=TODAY() - 100 * DAY)
    notices = due_for(supervisor)["wajib_lapor_missed"]
    assert len(notices) == 1 and (TODAY() - 70 * DAY).strftime("%d-%m-%Y") in notices[0].title
    assert (TODAY() - 170 * DAY).strftime("%d-%m-%Y") not in notices[0].title
