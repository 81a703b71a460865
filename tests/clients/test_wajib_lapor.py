"""Missed wajib lapor: the rule feeds a legal decision (revocation of PB), so it is tested at its edges."""

import datetime
import random
import re

import pytest
from django.utils import timezone

from bapas.reminders import due_for, sweep
from clients import services
from clients.models import Contact, ReportingFrequency, Supervision
from clients.reminders import LOOKBACK_DAYS, missed_reporting_dates, reporting_check_from
from tests.factories import ContactFactory, SupervisionFactory, ViolationFactory

D = datetime.date


def run(today, attended_last=None, missed=(), start=D(2026, 1, 1), interval=30, grace=3):
    return missed_reporting_dates(start=start, interval=interval, grace=grace, attended_last=attended_last,
                                  missed_logged=list(missed), today=today)


def test_a_scheduled_date_counts_only_after_its_grace():
    # Last report 1 March: due 31 March, missed once 3 days of grace have passed (from 4 April).
    assert run(D(2026, 4, 3), attended_last=D(2026, 3, 1)) == []
    assert run(D(2026, 4, 4), attended_last=D(2026, 3, 1)) == [D(2026, 3, 31)]


def test_two_then_three_implied_misses():
    last = D(2026, 1, 1)
    assert len(run(D(2026, 3, 5), attended_last=last)) == 1      # 2 Mar + 3 days of grace not yet passed
    assert len(run(D(2026, 3, 6), attended_last=last)) == 2      # 31 Jan, 2 Mar
    assert len(run(D(2026, 4, 4), attended_last=last)) == 2      # 1 Apr + 3 days not yet passed
    assert run(D(2026, 4, 5), attended_last=last) == [D(2026, 1, 31), D(2026, 3, 2), D(2026, 4, 1)]


def test_logged_misses_count_and_an_attended_report_breaks_the_run():
    missed = [D(2026, 2, 1), D(2026, 3, 1)]
    assert run(D(2026, 3, 5), attended_last=D(2026, 1, 1), missed=missed) == missed
    assert run(D(2026, 4, 3), attended_last=D(2026, 1, 1), missed=missed) == missed  # 31 Mar + grace not passed yet
    assert run(D(2026, 4, 4), attended_last=D(2026, 1, 1), missed=missed) == [*missed, D(2026, 3, 31)]
    assert run(D(2026, 4, 4), attended_last=D(2026, 3, 15), missed=missed) == []  # attended after the misses


def test_with_no_report_yet_the_start_is_the_base():
    assert run(D(2026, 1, 31), start=D(2026, 1, 1)) == []
    assert run(D(2026, 2, 4), start=D(2026, 1, 1)) == [D(2026, 1, 31)]


def _supervision(pk, start, interval=30):
    return SupervisionFactory(client__office=pk.office, officer=pk, start_date=start, reporting_interval_days=interval,
                              end_date=start + datetime.timedelta(days=700), next_contact_due=start + datetime.timedelta(days=30),
                              assessment_due=start + datetime.timedelta(days=600))


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.mark.django_db
def test_supervisor_is_told_at_three_not_at_two(pk, supervisor):
    today = timezone.localdate()
    supervision = _supervision(pk, today - datetime.timedelta(days=200))
    last = today - datetime.timedelta(days=80)
    ContactFactory(supervision=supervision, kind="report_office", attended=True, occurred_at=_at(last))
    for days in (50, 20):  # logged as missed: two in a row, the next date not yet past its grace
        ContactFactory(supervision=supervision, kind="report_office", attended=False,
                       occurred_at=_at(today - datetime.timedelta(days=days)))
    assert not due_for(supervisor)["wajib_lapor_missed"]
    # A home visit neither counts as a miss nor breaks the run.
    ContactFactory(supervision=supervision, kind="home_visit", attended=True, occurred_at=_at(today - datetime.timedelta(days=10)))
    ContactFactory(supervision=supervision, kind="report_remote", attended=False, occurred_at=_at(today - datetime.timedelta(days=5)))
    dues = due_for(supervisor)["wajib_lapor_missed"]
    assert len(dues) == 1 and dues[0].due_date == today - datetime.timedelta(days=5)
    assert (today - datetime.timedelta(days=50)).strftime("%d-%m-%Y") in dues[0].title
    assert not due_for(pk)["wajib_lapor_missed"]  # the PK is not the one who decides revocation


@pytest.mark.django_db
def test_an_attended_remote_report_breaks_the_run(pk, supervisor):
    today = timezone.localdate()
    supervision = _supervision(pk, today - datetime.timedelta(days=200))
    for days in (90, 60, 30):
        ContactFactory(supervision=supervision, kind="report_office", attended=False,
                       occurred_at=_at(today - datetime.timedelta(days=days)))
    assert len(due_for(supervisor)["wajib_lapor_missed"]) == 1
    ContactFactory(supervision=supervision, kind="report_remote", attended=True, occurred_at=_at(today - datetime.timedelta(days=1)))
    assert not due_for(supervisor)["wajib_lapor_missed"]


@pytest.mark.django_db
def test_one_notice_per_run_however_often_the_sweep_runs(pk, supervisor):
    today = timezone.localdate()
    supervision = _supervision(pk, today - datetime.timedelta(days=130))  # no report since the start: 4 implied misses
    assert sweep()["by_kind"]["wajib_lapor_missed"] == 1
    assert sweep()["by_kind"]["wajib_lapor_missed"] == 0
    assert supervision.pk


@pytest.mark.django_db
def test_new_offence_violation_reaches_the_supervisor(pk, supervisor):
    from tests.factories import ViolationFactory

    supervision = _supervision(pk, timezone.localdate() - datetime.timedelta(days=20))
    ContactFactory(supervision=supervision, kind="report_office", attended=True)
    ViolationFactory(supervision=supervision, kind="new_offence", description="Ditangkap Polres")
    dues = due_for(supervisor)["new_offence"]
    assert len(dues) == 1 and "Ditangkap Polres" in dues[0].title


# The day stored on the supervision (reporting_check_from) lets the rule skip the others: it must
# never come after a day on which the rule would find a run, or a ground for revocation is missed.

def test_before_the_check_day_no_run_can_be_found():
    rng = random.Random(7)
    for _ in range(3000):
        start = D(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 300))
        interval = rng.choice(ReportingFrequency.values)
        days = sorted({start + datetime.timedelta(days=rng.randint(0, 900)) for _ in range(rng.randint(0, 6))})
        attended_last = rng.choice([None, *days])
        missed = [day for day in days if day != attended_last]
        check = reporting_check_from(start=start, interval=interval, attended_last=attended_last, missed_logged=missed)
        # The rule may see a report a day earlier (another time zone) and no grace (the worst case).
        earlier = {day: day - datetime.timedelta(days=rng.randint(0, 1)) for day in days}
        # Between the newest report logged (each one moves the day) and the day.
        for before in range(1, 120):
            today = check - datetime.timedelta(days=before)
            if days and today < days[-1]:
                break
            # The rule reads only the logged misses of its look-back window.
            seen = [earlier[day] for day in missed if day >= today - datetime.timedelta(days=LOOKBACK_DAYS)]
            found = missed_reporting_dates(start=start, interval=interval, grace=0, today=today, missed_logged=seen,
                                           attended_last=earlier[attended_last] if attended_last else None)
            assert len(found) < 3, (start, interval, attended_last, missed, today, found)


def test_the_check_day_is_the_day_before_the_first_possible_run():
    # Last report 1 March, every 30 days, no grace: three dates missed on 31 May at the earliest.
    check = reporting_check_from(start=D(2026, 1, 1), interval=30, attended_last=D(2026, 3, 1), missed_logged=[])
    assert check == D(2026, 5, 30)
    assert len(run(D(2026, 5, 31), attended_last=D(2026, 3, 1), grace=0)) == 3
    assert len(run(D(2026, 5, 30), attended_last=D(2026, 3, 1), grace=0)) == 2


@pytest.mark.django_db
def test_reports_logged_move_the_check_day(pk):
    today = timezone.localdate()
    supervision = _supervision(pk, today - datetime.timedelta(days=100), interval=14)
    services.supervision_update(by=pk, supervision=supervision, expected_version=supervision.version)
    # No report yet: counted from the start.
    assert Supervision.objects.get(pk=supervision.pk).reporting_check_from == supervision.start_date + datetime.timedelta(days=42)

    def log(days_ago, attended):
        services.contact_log(by=pk, contact=Contact(
            supervision=supervision, kind="report_office", attended=attended, occurred_at=_at(today - datetime.timedelta(days=days_ago))))
        return Supervision.objects.get(pk=supervision.pk).reporting_check_from

    assert log(10, True) == today + datetime.timedelta(days=-10 + 42)  # a report: three dates after it
    assert log(5, False) == today + datetime.timedelta(days=-5 + 28)   # one miss: two more dates after it
    assert log(3, False) == today + datetime.timedelta(days=-3 + 14)   # two: one more
    assert log(1, False) == supervision.start_date - datetime.timedelta(days=1)  # three: look now


@pytest.mark.django_db
def test_the_rule_reads_only_supervisions_whose_check_day_has_come(pk, supervisor):
    today = timezone.localdate()
    supervision = _supervision(pk, today - datetime.timedelta(days=130))  # no report since the start: a run
    assert len(due_for(supervisor)["wajib_lapor_missed"]) == 1  # no day worked out yet: examined
    Supervision.objects.filter(pk=supervision.pk).update(reporting_check_from=today + datetime.timedelta(days=1))
    assert not due_for(supervisor)["wajib_lapor_missed"]
    Supervision.objects.filter(pk=supervision.pk).update(reporting_check_from=today)
    assert len(due_for(supervisor)["wajib_lapor_missed"]) == 1


@pytest.mark.django_db
def test_a_long_run_shows_the_three_that_made_the_ground_and_the_latest(pk, supervisor):
    today = timezone.localdate()
    supervision = _supervision(pk, today - datetime.timedelta(days=400))
    ContactFactory(supervision=supervision, kind="report_office", attended=True, occurred_at=_at(today - datetime.timedelta(days=380)))
    (due,) = due_for(supervisor)["wajib_lapor_missed"]
    count = int(re.search(r"(\d+) kali", due.title).group(1))
    dates = re.findall(r"\d\d-\d\d-\d{4}", due.title)
    assert count > 10 and len(dates) == 4 and " … " in due.title and len(due.title) < 200
    assert dates[2] == due.due_date.strftime("%d-%m-%Y")  # the third miss keys the notice and ends the shown run


@pytest.mark.django_db
def test_a_violation_recorded_for_the_run_handles_it_and_a_later_run_is_told_again(login, pk, supervisor):
    from django.urls import reverse

    from bapas.models import Notification

    today = timezone.localdate()
    supervision = _supervision(pk, today - datetime.timedelta(days=200))
    ContactFactory(supervision=supervision, kind="report_office", attended=True, occurred_at=_at(today - datetime.timedelta(days=130)))
    # An older violation, from before this run, does not handle it.
    ViolationFactory(supervision=supervision, kind="missed_reporting", occurred_on=today - datetime.timedelta(days=150))
    sweep()
    (due,) = due_for(supervisor)["wajib_lapor_missed"]
    first_miss = datetime.datetime.strptime(re.findall(r"\d\d-\d\d-\d{4}", due.title)[0], "%d-%m-%Y").date()
    client = login(supervisor)
    today_page = client.get(reverse("bapas:today")).content.decode()
    form_url = reverse("clients:violation_create", args=[supervision.pk]) + "?next=%2Fhari-ini%2F"
    assert f'href="{form_url}"' in today_page
    response = client.post(form_url, {"kind": "missed_reporting", "occurred_on": first_miss.isoformat(),
                                       "description": "Tiga kali tidak lapor",
                                       "action": "revocation_proposal", "status": "in_tpp"})
    assert response.status_code == 302 and response["Location"] == "/hari-ini/"
    assert not due_for(supervisor)["wajib_lapor_missed"]
    # The supervisor's own write settled the notice at once.
    assert Notification.objects.get(kind="wajib_lapor_missed").resolved_at is not None
    # The client reports, then misses three more: a new run, told again.
    ContactFactory(supervision=supervision, kind="report_office", attended=True, occurred_at=_at(today - datetime.timedelta(days=100)))
    assert len(due_for(supervisor)["wajib_lapor_missed"]) == 1
