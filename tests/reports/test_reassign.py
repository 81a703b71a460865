"""Moving many of one PK's cases at once (the PK leaves, or carries too much): the supervisor picks
the PKs to take them and sees the plan before anything moves; an admin cannot deactivate a PK who
still holds cases."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry, Role
from clients.models import Supervision
from clients.services import supervisions_reassign
from reports.workload import spread_plan
from tests.conftest import opened
from tests.factories import SupervisionFactory, UserFactory


def url(officer):
    return reverse("reports:reassign", args=[officer.pk])


def cases_of(officer, n, **extra):
    return [SupervisionFactory(client__office=officer.office, officer=officer, **extra) for _ in range(n)]


def preview(client, source, data):
    response = client.post(url(source), data)
    assert response.status_code == 200
    page = response.content.decode()
    signature = re.search(r'name="signature" value="([0-9a-f]+)"', page)
    return page, signature.group(1) if signature else None


@pytest.mark.django_db
def test_only_the_supervisor_of_the_office_moves_cases(login, client, supervisor, head, pk, pk2, admin_user, outsider):
    cases_of(pk, 1)
    assert login(supervisor).get(url(pk)).status_code == 200
    for other in (head, pk, pk2, admin_user):
        assert login(other).get(url(pk)).status_code == 403
    assert login(supervisor).get(url(outsider)).status_code == 404  # another office's PK
    assert login(supervisor).get(url(head)).status_code == 404  # not a caseworker
    client.logout()
    assert client.get(url(pk))["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_dashboard_offers_it_to_the_supervisor_only(login, supervisor, head, pk):
    cases_of(pk, 1)
    assert url(pk) in login(supervisor).get(reverse("reports:caseload")).content.decode()
    assert url(pk) not in login(head).get(reverse("reports:caseload")).content.decode()


@pytest.mark.django_db
def test_the_plan_is_shown_first_and_moves_nothing(login, supervisor, pk, pk2):
    cases = cases_of(pk, 4)
    page, signature = preview(login(supervisor), pk, {"targets": [pk2.pk], "count": 4, "reason": "Pindah tugas"})
    assert signature and "Alihkan 4 kasus" in page and cases[0].client.full_name in page
    assert Supervision.objects.filter(officer=pk).count() == 4
    assert not AuditEntry.objects.filter(action="supervision.assign").exists()


@pytest.mark.django_db
def test_confirming_moves_the_cases_with_history_and_audit(login, supervisor, pk, pk2):
    cases = cases_of(pk, 3)
    client = login(supervisor)
    data = {"targets": [pk2.pk], "count": 3, "reason": "Pindah tugas ke Bapas lain"}
    _page, signature = preview(client, pk, data)
    response = client.post(url(pk), {**data, "signature": signature, "confirm": "1"}, follow=True)
    assert "3 kasus" in response.content.decode() and response.redirect_chain[-1][0] == reverse("reports:caseload")
    for case in cases:
        case.refresh_from_db()
        assert case.officer == pk2 and case.version == 2
        last = case.history.latest()
        assert last.history_user == supervisor and last.history_change_reason == "Pindah tugas ke Bapas lain"
        assert last.officer_id == pk2.pk
    entries = AuditEntry.objects.filter(action="supervision.assign")
    assert sorted(entries.values_list("client_pk", flat=True)) == sorted(case.client_id for case in cases)
    assert {(e.actor_id, e.detail["from"], e.detail["to"]) for e in entries} == {(supervisor.pk, pk.pk, pk2.pk)}


@pytest.mark.django_db
def test_cases_go_to_whoever_carries_least(supervisor, pk, pk2, office):
    busy = UserFactory(office=office, role=Role.PK)
    cases_of(busy, 20)  # 40 points of 100
    cases_of(pk, 6)
    plan = spread_plan(source=pk, targets=[pk2, busy])
    received = {row["officer"].pk: row["cases"] for row in plan["rows"]}
    assert received == {pk2.pk: 6, busy.pk: 0}  # pk2 ends at 12 %, still below busy's 40 %
    even = spread_plan(source=pk, targets=[pk2, UserFactory(office=office, role=Role.APK)])
    assert sorted(row["cases"] for row in even["rows"]) == [3, 3]
    assert [row["after"] for row in plan["rows"]] == [12, 40]


@pytest.mark.django_db
def test_a_number_moves_the_newest_cases_first(login, supervisor, pk, pk2):
    today = timezone.localdate()
    old = cases_of(pk, 2, start_date=today - datetime.timedelta(days=300))
    new = cases_of(pk, 2, start_date=today - datetime.timedelta(days=5))
    client = login(supervisor)
    data = {"targets": [pk2.pk], "count": 2, "reason": "Beban berlebih"}
    _page, signature = preview(client, pk, data)
    client.post(url(pk), {**data, "signature": signature, "confirm": "1"})
    assert set(Supervision.objects.filter(officer=pk2)) == set(new)
    assert set(Supervision.objects.filter(officer=pk)) == set(old)


@pytest.mark.django_db
def test_a_plan_that_changed_since_it_was_shown_is_shown_again(login, supervisor, pk, pk2):
    cases_of(pk, 2)
    client = login(supervisor)
    data = {"targets": [pk2.pk], "count": 2, "reason": "Pindah tugas"}
    _page, signature = preview(client, pk, data)
    cases_of(pk, 1, start_date=timezone.localdate())  # a new case arrives meanwhile: it would go first
    response = client.post(url(pk), {**data, "signature": signature, "confirm": "1"})
    assert response.status_code == 200 and "Beban kerja kantor berubah" in response.content.decode()
    assert Supervision.objects.filter(officer=pk2).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), [
    ({"count": 2, "reason": "x"}, "Bidang ini tidak boleh kosong"),
    ({"targets": "PK2", "count": 3, "reason": "x"}, "Hanya ada 2 kasus aktif untuk pilihan ini"),
    ({"targets": "PK2", "count": 0, "reason": "x"}, "lebih besar dari atau sama dengan 1"),
    ({"targets": "PK2", "count": 2, "reason": ""}, "Bidang ini tidak boleh kosong"),
])
def test_bad_input_says_why_and_moves_nothing(login, supervisor, pk, pk2, data, message):
    cases_of(pk, 2)
    if data.get("targets") == "PK2":
        data = {**data, "targets": [pk2.pk]}
    response = login(supervisor).post(url(pk), {**data, "confirm": "1", "signature": "x"})
    assert response.status_code == 200 and message in response.content.decode()
    assert Supervision.objects.filter(officer=pk).count() == 2


@pytest.mark.django_db
def test_the_service_refuses_a_pk_of_another_office_and_skips_cases_no_longer_theirs(supervisor, pk, pk2, outsider):
    first, second = cases_of(pk, 2)
    with pytest.raises(ValidationError):
        supervisions_reassign(by=supervisor, source=pk, moves=[(first.pk, outsider)], reason="x")
    with pytest.raises(ValidationError):
        supervisions_reassign(by=supervisor, source=pk, moves=[(first.pk, pk)], reason="x")
    Supervision.objects.filter(pk=second.pk).update(closed_on=timezone.localdate(), closure_reason="completed")
    assert supervisions_reassign(by=supervisor, source=pk, moves=[(first.pk, pk2), (second.pk, pk2)], reason="x") == 1
    assert Supervision.objects.get(pk=second.pk).officer == pk


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_cases(login, supervisor, pk, pk2):
    client = login(supervisor)

    def count():
        data = {"targets": [pk2.pk], "count": Supervision.objects.filter(officer=pk).count(), "reason": "x"}
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url(pk), data).status_code == 200
        return len(queries)

    cases_of(pk, 2)
    few = count()
    cases_of(pk, 25)
    assert count() == few


@pytest.mark.django_db
def test_an_admin_cannot_deactivate_a_pk_who_still_holds_cases(login, admin_user, supervisor, pk, pk2):
    cases = cases_of(pk, 2)
    admin = login(admin_user)
    url = reverse("bapas:user_edit", args=[pk.pk])
    for change in ({"is_active": ""}, {"is_active": "on", "role": Role.ADMIN}):
        response = admin.post(url, {"username": pk.username, "role": Role.PK, **opened(admin, url), **change})
        assert response.status_code == 200 and "masih memegang 2 kasus aktif" in response.content.decode()
        pk.refresh_from_db()
        assert pk.is_active and pk.role == Role.PK
    supervisions_reassign(by=supervisor, source=pk, moves=[(case.pk, pk2) for case in cases], reason="Pensiun")
    response = admin.post(url, {"username": pk.username, "role": Role.PK, "is_active": "", **opened(admin, url)})
    assert response.status_code == 302
    pk.refresh_from_db()
    assert not pk.is_active


@pytest.mark.django_db
def test_cases_left_with_someone_no_longer_an_active_pk_are_shown_and_can_be_moved(login, supervisor, head, pk, pk2):
    from bapas.models import User

    cases_of(pk, 2)
    User.objects.filter(pk=pk.pk).update(is_active=False)  # deactivated before that was refused
    dashboard = login(supervisor).get(reverse("reports:caseload")).content.decode()
    assert 'data-testid="stranded"' in dashboard and "(2)" in dashboard and url(pk) in dashboard
    for_head = login(head).get(reverse("reports:caseload")).content.decode()
    assert 'data-testid="stranded"' in for_head and url(pk) not in for_head  # the head sees it, the supervisor moves it
    client = login(supervisor)
    data = {"targets": [pk2.pk], "count": 2, "reason": "PK pensiun"}
    _page, signature = preview(client, pk, data)
    client.post(url(pk), {**data, "signature": signature, "confirm": "1"})
    assert Supervision.objects.filter(officer=pk2).count() == 2
    assert 'data-testid="stranded"' not in login(supervisor).get(reverse("reports:caseload")).content.decode()


@pytest.mark.django_db
def test_cases_of_one_kecamatan_go_to_the_pk_who_visits_there(login, supervisor, pk, pk2):
    north = cases_of(pk, 2, client__kecamatan="Ilir Barat I")
    cases_of(pk, 3, client__kecamatan="Seberang Ulu I")
    unset = cases_of(pk, 1, client__kecamatan="")
    client = login(supervisor)
    page = client.get(url(pk)).content.decode()
    assert "Ilir Barat I (2)" in page and "Seberang Ulu I (3)" in page and "(kecamatan tidak diisi) (1)" in page
    data = {"targets": [pk2.pk], "area": "Ilir Barat I", "count": "", "reason": "Wilayah kunjungan"}
    _page, signature = preview(client, pk, data)
    client.post(url(pk), {**data, "signature": signature, "confirm": "1"})
    assert set(Supervision.objects.filter(officer=pk2)) == set(north)
    too_many = client.post(url(pk), {**data, "area": "-", "count": 2})
    assert "Hanya ada 1 kasus aktif untuk pilihan ini" in too_many.content.decode()
    data = {**data, "area": "-"}
    _page, signature = preview(client, pk, data)
    client.post(url(pk), {**data, "signature": signature, "confirm": "1"})
    assert set(Supervision.objects.filter(officer=pk2)) == set(north + unset)
