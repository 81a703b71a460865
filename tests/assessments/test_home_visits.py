"""Home visits the intensity policy asks for each quarter (kunjungan rumah per triwulan): in the
quarter's last month the PK hears of assessed clients still short of them; the visit that makes up
the number settles the notice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import IntensityPolicy
from assessments.reminders import home_visits_short, quarter_bounds
from bapas.models import Notification
from bapas.reminders import due_for, sweep
from tests.factories import ContactFactory, SupervisionFactory

# 10 December 2026, morning in Jakarta: three weeks before the fourth quarter ends.
NOW = datetime.datetime(2026, 12, 10, 2, 0, tzinfo=datetime.timezone.utc)
D = datetime.date


def visit(supervision, day, attended=True):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return ContactFactory(supervision=supervision, kind="home_visit", occurred_at=moment, attended=attended)


def titles(user, now=NOW):
    return sorted(due.title for due in due_for(user, now=now, kinds={"home_visits_short"})["home_visits_short"])


def test_quarters():
    assert quarter_bounds(D(2026, 11, 29)) == (D(2026, 10, 1), D(2026, 12, 31))
    assert quarter_bounds(D(2026, 2, 28)) == (D(2026, 1, 1), D(2026, 3, 31))
    assert quarter_bounds(D(2026, 9, 30)) == (D(2026, 7, 1), D(2026, 9, 30))


@pytest.mark.django_db
def test_clients_short_of_their_levels_visits_are_named_in_the_last_month(pk):
    make = lambda name, level, **kw: SupervisionFactory(client__office=pk.office, officer=pk, client__full_name=name,  # noqa: E731
                                                       risk_level=level, **kw)
    high = make("Tinggi Kurang", "Tinggi")  # the shipped policy: 2 a quarter for Tinggi, 1 for Rendah
    visit(high, D(2026, 10, 15))
    visit(high, D(2026, 11, 2), attended=False)  # not found at home: not a visit made
    visit(high, D(2026, 9, 20))  # last quarter's
    done = make("Tinggi Cukup", "Tinggi")
    visit(done, D(2026, 10, 3))
    visit(done, D(2026, 12, 1))
    make("Rendah Belum", "Rendah")
    make("Belum Diasesmen", "")
    make("Ditahan", "Tinggi", suspended_on=D(2026, 11, 1))
    assert titles(pk) == ["Kunjungan rumah 0 dari 1 triwulan ini (sampai 31-12-2026): Rendah Belum",
                          "Kunjungan rumah 1 dari 2 triwulan ini (sampai 31-12-2026): Tinggi Kurang"]
    # Before the quarter's last month, nothing yet.
    assert titles(pk, now=datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.timezone.utc)) == []


@pytest.mark.django_db
def test_the_visit_that_makes_up_the_number_settles_the_notice(pk):
    high = SupervisionFactory(client__office=pk.office, officer=pk, risk_level="Tinggi")
    visit(high, D(2026, 10, 15))
    sweep(now=NOW)
    notice = Notification.objects.get(kind="home_visits_short")
    assert notice.recipient == pk and notice.resolved_at is None
    visit(high, D(2026, 12, 5))
    sweep(now=NOW)
    notice.refresh_from_db()
    assert notice.resolved_at is not None


@pytest.mark.django_db
def test_the_offices_newest_policy_sets_the_number(pk):
    import copy

    from assessments.policy import current_policy

    high = SupervisionFactory(client__office=pk.office, officer=pk, risk_level="Tinggi", client__full_name="Klien Tinggi")
    visit(high, D(2026, 10, 15))
    visit(high, D(2026, 11, 15))
    first = current_policy(pk.office_id)
    assert titles(pk) == []
    rules = copy.deepcopy(first.rules)
    rules["Tinggi"]["home_visits_per_quarter"] = 3
    IntensityPolicy.objects.create(office=pk.office, number=first.number + 1, rules=rules)
    assert titles(pk) == ["Kunjungan rumah 2 dari 3 triwulan ini (sampai 31-12-2026): Klien Tinggi"]
    assert len(home_visits_short(today_by_zone={"Asia/Jakarta": D(2026, 12, 10)})) == 1  # the national sweep's call


@pytest.mark.django_db
def test_each_office_sets_how_long_before_the_quarters_end_the_pk_hears_of_it(login, admin_user, pk, outsider):
    from assessments.policy import current_policy
    from tests.assessments.helpers import final_rri, policy_post

    here = SupervisionFactory(client__office=pk.office, officer=pk, risk_level="Tinggi", client__full_name="Klien Sini")
    there = SupervisionFactory(client__office=outsider.office, officer=outsider, risk_level="Tinggi", client__full_name="Klien Sana")
    final_rri(here, D(2026, 10, 1), level="Tinggi")  # publishing a policy sets the level again from the assessment
    november_20 = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.timezone.utc)  # 41 days before the quarter ends
    assert titles(pk, now=november_20) == []
    response = login(admin_user).post(reverse("assessments_settings:policy"), policy_post(home_visit_notice_days=45))
    assert response.status_code == 302 and current_policy(pk.office_id).home_visit_notice_days == 45
    assert titles(pk, now=november_20) == ["Kunjungan rumah 0 dari 2 triwulan ini (sampai 31-12-2026): Klien Sini"]
    # The national sweep's call: the other office, on the shipped 30 days, hears nothing yet, and
    # does from 1 December.
    both = lambda day: {"Asia/Jakarta": day, "Asia/Makassar": day}  # noqa: E731
    assert [due.object_id for due in home_visits_short(today_by_zone=both(D(2026, 11, 20)))] == [here.pk]
    assert {due.object_id for due in home_visits_short(today_by_zone=both(D(2026, 12, 1)))} == {here.pk, there.pk}
    page = login(admin_user).get(reverse("assessments_settings:policy")).content.decode()
    assert "Pengingat kunjungan rumah (hari sebelum akhir triwulan)" in page and 'value="45"' in page
    refused = login(admin_user).post(reverse("assessments_settings:policy"), policy_post(home_visit_notice_days=93))
    assert refused.status_code == 200 and current_policy(pk.office_id).home_visit_notice_days == 45
