"""Records edited in place with no version column (a user, the office, an offence category, the stage
rule, a partner, a programme) carry a fingerprint of what the form showed: when two people open the
same form and both save, the second is refused with a message instead of undoing the first."""

import datetime

import pytest
from django.urls import reverse

from bapas.models import AuditEntry, Office, Role, User
from clients.models import OffenceCategory, StageRule
from programs.models import Partner, Programme
from tests.factories import UserFactory


def as_opened(client, url) -> dict:
    """The form's fields as the page fills them in, ready to post."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, (datetime.date, datetime.datetime)):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = value
    return data


def partner(office):
    return Partner.objects.create(office=office, name="BLK Palembang", kind="blk")


def programme(office, facilitator):
    return Programme.objects.create(office=office, name="Konseling adiksi", programme_type="konseling", facilitator_officer=facilitator)


# (url, the record as it stands, the first person's change, the second person's change)
CASES = {
    "user": (lambda pk: reverse("bapas:user_edit", args=[pk.pk]), lambda pk: User.objects.get(pk=pk.pk),
             {"first_name": "Nama Baru"}, {"nip": "1987"}),
    "office": (lambda pk: reverse("bapas:office_edit"), lambda pk: Office.objects.get(pk=pk.office_id),
               {"letterhead_phone": "0711-1"}, {"city": "Kota Lain"}),
    "reminder_schedule": (lambda pk: reverse("bapas:reminder_schedule"), lambda pk: Office.objects.get(pk=pk.office_id),
                          {"ending_notice_days": 45}, {"ending_notice_days": 20}),
    "offence_category": (lambda pk: reverse("clients_settings:offence_category_edit",
                                            args=[OffenceCategory.objects.filter(office=pk.office).order_by("pk").first().pk]),
                         lambda pk: OffenceCategory.objects.filter(office=pk.office).order_by("pk").first(),
                         {"name": "Narkotika (diubah)"}, {"name": "Narkotika (lagi)"}),
    "stage_rule": (lambda pk: reverse("clients_settings:stage_rule"), lambda pk: StageRule.objects.get(office=pk.office),
                   {"middle_from_percent": 30}, {"final_from_percent": 70}),
    "partner": (lambda pk: reverse("programs:partner_edit", args=[Partner.objects.get(office=pk.office).pk]),
                lambda pk: Partner.objects.get(office=pk.office), {"phone": "0811"}, {"contact_person": "Bu Rina"}),
    "programme": (lambda pk: reverse("programs:programme_edit", args=[Programme.objects.get(office=pk.office).pk]),
                  lambda pk: Programme.objects.get(office=pk.office), {"capacity": 12}, {"description": "Kelompok malam"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_the_second_of_two_saves_from_the_same_opened_form_is_refused(client, admin_user, pk, case):
    partner(pk.office)
    programme(pk.office, pk)
    StageRule.objects.get_or_create(office=pk.office)
    url_of, stored_of, first_change, second_change = CASES[case]
    url = url_of(pk)
    second_admin = UserFactory(username="admin2", office=admin_user.office, role=Role.ADMIN)
    client.force_login(admin_user)
    opened_by_first = as_opened(client, url)
    client.force_login(second_admin)
    opened_by_second = as_opened(client, url)

    client.force_login(admin_user)
    first = client.post(url, {**opened_by_first, **first_change})
    assert first.status_code == 302, first.context["form"].errors
    client.force_login(second_admin)
    refused = client.post(url, {**opened_by_second, **second_change})
    assert refused.status_code == 409 and "sudah diubah oleh pengguna lain" in refused.content.decode()
    stored = stored_of(pk)
    for name, value in first_change.items():
        assert str(getattr(stored, name)) == str(value)
    for name, value in second_change.items():
        assert str(getattr(stored, name)) != str(value)
    # Opened afresh, the second person's change goes through on top of the first.
    assert client.post(url, {**as_opened(client, url), **second_change}).status_code == 302
    stored = stored_of(pk)
    assert all(str(getattr(stored, name)) == str(value) for name, value in {**first_change, **second_change}.items())


@pytest.mark.django_db
def test_a_change_the_form_does_not_show_does_not_block_the_save(login, admin_user, pk):
    url = reverse("bapas:user_edit", args=[pk.pk])
    data = as_opened(login(admin_user), url)
    User.objects.filter(pk=pk.pk).update(last_login=datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc))
    assert login(admin_user).post(url, {**data, "first_name": "Nama Baru"}).status_code == 302
    assert AuditEntry.objects.filter(action="user.update").exists()


@pytest.mark.django_db
def test_a_new_partner_needs_no_fingerprint(login, admin_user):
    response = login(admin_user).post(reverse("programs:partner_create"), {"name": "Dinas Sosial", "kind": "dinsos", "active": "on"})
    assert response.status_code == 302 and Partner.objects.filter(name="Dinas Sosial").exists()


@pytest.mark.django_db
def test_two_admins_saving_the_workload_page_at_once(login, admin_user, pk):
    from reports.models import WorkloadModel

    url = reverse("reports:workload_settings")
    second_admin = UserFactory(username="admin2", office=admin_user.office, role=Role.ADMIN)
    opened = login(admin_user).get(url).context
    data = {"fingerprint": opened["fingerprint"], "hours_per_point": opened["hours_per_point"], "litmas_points": opened["litmas_points"]}
    data.update({f"risk|{level}": value for level, value in opened["levels"]})
    data.update({f"basis|{code}": value for code, value in opened["bases"]})
    for officer, fields in opened["rows"]:
        data.update({f"cap|{officer.pk}|{field}": value for field, value in fields})
    assert login(admin_user).post(url, {**data, "litmas_points": 7}).status_code == 302
    # The second admin opened the page before the first saved: refused, with what they typed kept.
    refused = login(second_admin).post(url, {**data, f"cap|{pk.pk}|leave_hours": 16})
    assert refused.status_code == 409 and "sudah diubah oleh pengguna lain" in refused.content.decode()
    assert f'name="cap|{pk.pk}|leave_hours" value="16"' in refused.content.decode()
    assert WorkloadModel.objects.get(office=admin_user.office).litmas_points == 7
    # Sent again as it is, refused again; opened afresh, it goes through.
    assert login(second_admin).post(url, {**data, f"cap|{pk.pk}|leave_hours": 16}).status_code == 409
    fresh = login(second_admin).get(url).context["fingerprint"]
    assert login(second_admin).post(url, {**data, "litmas_points": 7, "fingerprint": fresh,
                                          f"cap|{pk.pk}|leave_hours": 16}).status_code == 302


@pytest.mark.django_db
def test_two_admins_publishing_the_intensity_policy_at_once(login, admin_user):
    from assessments.policy import current_policy
    from tests.assessments.helpers import policy_post

    second_admin = UserFactory(username="admin2", office=admin_user.office, role=Role.ADMIN)
    url = reverse("assessments_settings:policy")
    login(admin_user).get(url)
    assert login(admin_user).post(url, policy_post(first_assessment_days=21)).status_code == 302
    refused = login(second_admin).post(url, policy_post(event_reassessment_days=7))  # opened at version 1 too
    assert refused.status_code == 409 and "sudah diubah oleh pengguna lain" in refused.content.decode()
    policy = current_policy(admin_user.office_id)
    assert policy.number == 2 and policy.first_assessment_days == 21 and policy.event_reassessment_days == 14


@pytest.mark.django_db
def test_two_admins_saving_the_follow_up_plan_at_once(login, admin_user):
    from programs.models import FollowUpPlan

    second_admin = UserFactory(username="admin2", office=admin_user.office, role=Role.ADMIN)
    url = reverse("programs:follow_up_plan")
    opened = as_opened(login(admin_user), url)
    assert login(admin_user).post(url, {**opened, "months": "6, 12"}).status_code == 302
    refused = login(second_admin).post(url, {**opened, "months": "3, 24"})
    assert refused.status_code == 409 and 'value="3, 24"' in refused.content.decode()
    assert FollowUpPlan.objects.get(office=admin_user.office).months == [6, 12]


@pytest.mark.django_db
@pytest.mark.parametrize("case", [*CASES, "follow_up_plan", "workload", "policy"])
def test_every_such_page_carries_its_fingerprint_in_the_form(login, admin_user, pk, case):
    partner(pk.office)
    programme(pk.office, pk)
    StageRule.objects.get_or_create(office=pk.office)
    urls = {"follow_up_plan": reverse("programs:follow_up_plan"), "workload": reverse("reports:workload_settings"),
            "policy": reverse("assessments_settings:policy")}
    url = urls[case] if case in urls else CASES[case][0](pk)
    html = login(admin_user).get(url).content.decode()
    name = "expected_number" if case == "policy" else "fingerprint"
    assert f'name="{name}" value="' in html and f'name="{name}" value=""' not in html
