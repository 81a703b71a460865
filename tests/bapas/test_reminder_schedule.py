"""Reminder offsets are office data (Pengaturan → Jadwal pengingat): how long before a supervision
ends the PK hears of it, how long a stage change is announced, how long before a partner agreement
ends the admin and the Kasi are warned, and at what local hour the daily digest goes out. The sweep and each person's Hari ini
follow each office's own."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry, Notification, Office
from bapas.reminders import due_for, sweep
from programs.models import Partner
from tests.conftest import opened
from tests.factories import SupervisionFactory, UserFactory

URL = reverse("bapas:reminder_schedule")
DAY = datetime.timedelta(days=1)


def ending_in(officer, days):
    today = timezone.localdate()
    return SupervisionFactory(client__office=officer.office, officer=officer, start_date=today - 100 * DAY,
                              end_date=today + days * DAY, assessment_due=today + 90 * DAY)


def kinds_for(user):
    return {kind for kind, items in due_for(user).items() if items}


@pytest.mark.django_db
def test_the_admin_sets_the_offsets_and_each_change_is_kept(login, admin_user, pk, supervisor, head):
    for user in (pk, supervisor, head):
        assert login(user).get(URL).status_code == 403
    page = login(admin_user).get(URL).content.decode()
    assert 'name="ending_notice_days" value="30"' in page and 'name="agreement_notice_days" value="60"' in page
    data = {"ending_notice_days": 45, "stage_notice_days": 14, "agreement_notice_days": 90, "digest_hour": 6}
    assert login(admin_user).post(URL, {**data, **opened(login(admin_user), URL)}).status_code == 302
    office = Office.objects.get(pk=admin_user.office_id)
    assert (office.ending_notice_days, office.stage_notice_days, office.agreement_notice_days, office.digest_hour) == (45, 14, 90, 6)
    assert office.history.first().ending_notice_days == 45 and office.history.last().ending_notice_days == 30  # the earlier version kept
    assert AuditEntry.objects.filter(action="office.update", detail__changed__contains=["ending_notice_days"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [("ending_notice_days", 0), ("ending_notice_days", 181), ("stage_notice_days", 61),
                                          ("agreement_notice_days", "enam puluh"), ("digest_hour", 24)])
def test_an_impossible_offset_is_refused_and_nothing_changes(login, admin_user, field, value):
    data = {"ending_notice_days": 30, "stage_notice_days": 7, "agreement_notice_days": 60, "digest_hour": 7, field: value}
    response = login(admin_user).post(URL, {**data, **opened(login(admin_user), URL)})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    office = Office.objects.get(pk=admin_user.office_id)
    assert (office.ending_notice_days, office.stage_notice_days, office.agreement_notice_days) == (30, 7, 60)


@pytest.mark.django_db
def test_saving_the_schedule_leaves_the_office_data_alone(login, admin_user):
    """Two forms on one row (this and Data kantor): each writes its own fields only."""
    schedule = opened(login(admin_user), URL)
    Office.objects.filter(pk=admin_user.office_id).update(letterhead_phone="0711-99")  # saved meanwhile from the other form
    data = {"ending_notice_days": 40, "stage_notice_days": 7, "agreement_notice_days": 60, "digest_hour": 7}
    assert login(admin_user).post(URL, {**data, **schedule}).status_code == 302
    office = Office.objects.get(pk=admin_user.office_id)
    assert office.letterhead_phone == "0711-99" and office.ending_notice_days == 40


@pytest.mark.django_db
def test_each_office_hears_of_a_supervision_ending_when_its_own_schedule_says(pk, outsider):
    Office.objects.filter(pk=pk.office_id).update(ending_notice_days=45)
    pk.refresh_from_db()
    here = ending_in(pk, 40)
    there = ending_in(outsider, 40)
    soon = ending_in(outsider, 25)
    assert [due.object_id for due in due_for(pk)["supervision_ending"]] == [here.pk]
    assert [due.object_id for due in due_for(outsider)["supervision_ending"]] == [soon.pk]  # 40 days is beyond its 30
    sweep()
    noticed = set(Notification.objects.filter(kind="supervision_ending").values_list("object_id", flat=True))
    assert str(here.pk) in noticed and str(there.pk) not in noticed and len(noticed) == 2


@pytest.mark.django_db
def test_a_stage_change_is_announced_for_the_offices_days(pk, outsider):
    Office.objects.filter(pk=pk.office_id).update(stage_notice_days=14)
    pk.refresh_from_db()
    today = timezone.localdate()
    for officer in (pk, outsider):
        SupervisionFactory(client__office=officer.office, officer=officer, start_date=today - 60 * DAY,
                           middle_stage_from=today - 10 * DAY, final_stage_from=today + 100 * DAY, assessment_due=today + 90 * DAY)
    assert "stage_change" in kinds_for(pk) and "stage_change" not in kinds_for(outsider)
    sweep()
    assert list(Notification.objects.filter(kind="stage_change").values_list("recipient", flat=True)) == [pk.pk]


@pytest.mark.django_db
def test_partner_agreements_warn_the_offices_days_ahead(login, admin_user, other_office):
    Office.objects.filter(pk=admin_user.office_id).update(agreement_notice_days=90)
    admin_user.refresh_from_db()
    other_admin = UserFactory(username="admin.lain", office=other_office, role="admin")
    today = timezone.localdate()
    Partner.objects.create(office=admin_user.office, name="BLK Sini", kind="blk", agreement_end=today + 80 * DAY)
    Partner.objects.create(office=other_office, name="BLK Sana", kind="blk", agreement_end=today + 80 * DAY)
    assert "agreement_expiring" in kinds_for(admin_user) and "agreement_expiring" not in kinds_for(other_admin)
    page = login(admin_user).get(reverse("programs:partners")).content.decode()
    assert "segera berakhir (≤ 90 hari)" in page and "BLK Sini" in page[page.index("segera berakhir"):]
    assert "segera berakhir" not in login(other_admin).get(reverse("programs:partners")).content.decode()
