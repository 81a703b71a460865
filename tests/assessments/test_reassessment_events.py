"""RNR reassesses on events as well as on the clock (DOMAIN.md): a violation, or the start of tahap
lanjutan or akhir (by the dates, or by a TPP decision), brings the next assessment forward to the
policy's days after it; an assessment made since puts the clock back; publishing a policy keeps the
events in the dates it works out; an edited start moves the first assessment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.policy import add_months, current_policy, intensity_apply
from bapas.reminders import due_for
from clients.models import Violation
from clients.services import violation_delete, violation_record, violation_update
from tests.assessments.helpers import final_rri, policy_post
from tests.factories import SupervisionFactory

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def assessed(pk):
    """A Sedang client assessed ten days ago, well inside tahap awal: next assessment in six months."""
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, start_date=TODAY() - 40 * DAY,
                                     end_date=TODAY() + 700 * DAY)
    supervision.middle_stage_from, supervision.final_stage_from = TODAY() + 200 * DAY, TODAY() + 450 * DAY
    supervision.save()
    final_rri(supervision, TODAY() - 10 * DAY)
    intensity_apply(supervision=supervision)
    supervision.refresh_from_db()
    assert supervision.assessment_due == add_months(TODAY() - 10 * DAY, 6)
    return supervision


def record(pk, supervision, days_ago):
    return violation_record(by=pk, violation=Violation(supervision=supervision, kind="missed_reporting",
                                                       occurred_on=TODAY() - days_ago * DAY, description="Tidak datang.", action="warning"))


@pytest.mark.django_db
def test_a_violation_brings_the_reassessment_forward_and_a_new_assessment_puts_the_clock_back(pk, assessed):
    violation = record(pk, assessed, days_ago=3)
    assessed.refresh_from_db()
    assert assessed.assessment_due == TODAY() + 11 * DAY  # 14 days after the violation
    # A date corrected moves it with it; the first violation since the assessment counts.
    violation.occurred_on = TODAY() - 5 * DAY
    violation_update(by=pk, violation=violation, expected_version=violation.version)
    record(pk, assessed, days_ago=1)
    assessed.refresh_from_db()
    assert assessed.assessment_due == TODAY() + 9 * DAY
    # Overdue in two weeks: the PK's Hari ini asks for it then.
    assert not due_for(pk, kinds={"assessment_due"})["assessment_due"]
    final_rri(assessed, TODAY())
    intensity_apply(supervision=assessed)
    assessed.refresh_from_db()
    assert assessed.assessment_due == add_months(TODAY(), 6)  # reassessed after the violations: back on the clock


@pytest.mark.django_db
def test_a_violation_deleted_as_a_mistake_puts_the_reassessment_back_on_the_clock(pk, assessed):
    violation = record(pk, assessed, days_ago=3)
    assessed.refresh_from_db()
    assert assessed.assessment_due == TODAY() + 11 * DAY
    violation_delete(by=pk, violation=violation, expected_version=violation.version, reason="Salah klien")
    assessed.refresh_from_db()
    assert assessed.assessment_due == add_months(TODAY() - 10 * DAY, 6)


@pytest.mark.django_db
def test_a_violation_before_the_last_assessment_changes_nothing(pk, assessed):
    record(pk, assessed, days_ago=20)
    assessed.refresh_from_db()
    assert assessed.assessment_due == add_months(TODAY() - 10 * DAY, 6)


@pytest.mark.django_db
def test_a_new_stage_calls_for_a_reassessment(pk, assessed):
    assessed.middle_stage_from = TODAY() + 60 * DAY
    assessed.save()
    intensity_apply(supervision=assessed)
    assessed.refresh_from_db()
    assert assessed.assessment_due == TODAY() + 74 * DAY


@pytest.mark.django_db
def test_publishing_a_policy_keeps_the_events_and_sets_their_days(login, admin_user, pk, assessed):
    record(pk, assessed, days_ago=3)
    response = login(admin_user).post(reverse("assessments_settings:policy"), policy_post(event_reassessment_days=7))
    assert response.status_code == 302 and current_policy(pk.office_id).event_reassessment_days == 7
    assessed.refresh_from_db()
    assert assessed.assessment_due == TODAY() + 4 * DAY
    page = login(admin_user).get(reverse("assessments_settings:policy")).content.decode()
    assert "Asesmen ulang setelah pelanggaran atau pergantian tahap (hari)" in page and 'value="7"' in page
    refused = login(admin_user).post(reverse("assessments_settings:policy"), policy_post(event_reassessment_days=0))
    assert refused.status_code == 200 and current_policy(pk.office_id).event_reassessment_days == 7


def edit(login, user, supervision, **changes):
    """Posts the supervision's edit form as it stands, with `changes`."""
    url = reverse("clients:supervision_edit", args=[supervision.pk])
    form = login(user).get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(decree_date=supervision.decree_date.isoformat(), start_date=supervision.start_date.isoformat(),
                end_date=supervision.end_date.isoformat())
    data.update(changes)
    return login(user).post(url, data)


@pytest.mark.django_db
def test_a_stage_set_by_the_tpp_calls_for_a_reassessment_and_its_dates_no_longer_do(login, pk, assessed):
    response = edit(login, pk, assessed, stage_override="lanjutan", stage_override_note="Sidang TPP 3/XI/2026")
    assert response.status_code == 302
    assessed.refresh_from_db()
    assert assessed.stage_override_on == TODAY() and assessed.assessment_due == TODAY() + 14 * DAY
    page = login(pk).get(reverse("clients:detail", args=[assessed.client_id])).content.decode()
    assert f'title="Sidang TPP 3/XI/2026">keputusan TPP {TODAY():%d-%m-%Y}</span>' in page
    # Saved again with the same stage: the decision keeps its day.
    edit(login, pk, assessed, sentence="3 tahun")
    assessed.refresh_from_db()
    assert assessed.stage_override_on == TODAY() and assessed.assessment_due == TODAY() + 14 * DAY
    # Reassessed, then held in tahap awal by the TPP, with a shorter period whose thirds would start
    # tahap lanjutan within weeks: that date is no event while the decision stands.
    final_rri(assessed, TODAY())
    edit(login, pk, assessed, stage_override="awal", end_date=(TODAY() + 200 * DAY).isoformat())
    assessed.refresh_from_db()
    assert TODAY() < assessed.middle_stage_from < TODAY() + 60 * DAY
    assert assessed.stage_override_on == TODAY() and assessed.assessment_due == add_months(TODAY(), 6)
    # The decision withdrawn: the dates decide again.
    edit(login, pk, assessed, stage_override="", end_date=(TODAY() + 200 * DAY).isoformat())
    assessed.refresh_from_db()
    assert assessed.stage_override_on is None and assessed.assessment_due == assessed.middle_stage_from + 14 * DAY


@pytest.mark.django_db
def test_a_corrected_start_moves_the_first_assessment(login, pk):
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, start_date=TODAY() - 5 * DAY, end_date=TODAY() + 700 * DAY)
    intensity_apply(supervision=supervision)
    supervision.refresh_from_db()
    first_due = supervision.assessment_due
    assert edit(login, pk, supervision, start_date=(TODAY() - 20 * DAY).isoformat()).status_code == 302
    supervision.refresh_from_db()
    assert supervision.assessment_due == first_due - 15 * DAY


@pytest.mark.django_db
def test_the_tpp_hearings_date_dates_the_stage_decision(login, pk, assessed):
    refused = edit(login, pk, assessed, stage_override="lanjutan", stage_override_on=(TODAY() + DAY).isoformat())
    assert refused.status_code == 200 and "Tanggal sidang TPP tidak boleh di masa depan." in refused.content.decode()
    before_start = edit(login, pk, assessed, stage_override="lanjutan", stage_override_on=(assessed.start_date - DAY).isoformat())
    assert "sebelum tanggal mulai pembimbingan" in before_start.content.decode()
    assessed.refresh_from_db()
    assert assessed.stage_override == "" and assessed.stage_override_on is None
    # Recorded four days after the hearing: the reassessment is due 14 days after the hearing.
    assert edit(login, pk, assessed, stage_override="lanjutan", stage_override_on=(TODAY() - 4 * DAY).isoformat()).status_code == 302
    assessed.refresh_from_db()
    assert assessed.stage_override_on == TODAY() - 4 * DAY and assessed.assessment_due == TODAY() + 10 * DAY
    # A later hearing moves the stage on, its date left as the form showed it: the new decision is dated today.
    assert edit(login, pk, assessed, stage_override="akhir").status_code == 302
    assessed.refresh_from_db()
    assert assessed.stage_override_on == TODAY()
