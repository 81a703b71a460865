"""The office admin's own pages: users and roles, letterhead, offence categories, stage rule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry, Role, User
from clients.models import OffenceCategory, StageRule
from tests.conftest import opened
from tests.factories import SupervisionFactory

ADMIN_PAGES = [
    "bapas:settings", "bapas:office_edit", "bapas:user_list", "bapas:user_create",
    "clients_settings:offence_categories", "clients_settings:stage_rule",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_opens_and_others_are_refused(login, admin_user, pk, supervisor, head, name):
    assert login(admin_user).get(reverse(name)).status_code == 200
    for other in (pk, supervisor, head):
        assert login(other).get(reverse(name)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_anonymous_goes_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_admin_creates_a_user_in_their_own_office(login, admin_user, outsider):
    response = login(admin_user).post(reverse("bapas:user_create"), {
        "username": "pk.baru", "first_name": "Lina", "role": Role.PK, "nip": "198001012010012001",
        "jabatan": "PK Ahli Pertama", "pangkat": "Penata Muda (III/a)",
        "password1": "Kata-Sandi-Baru-99", "password2": "Kata-Sandi-Baru-99",
    })
    assert response.status_code == 302
    created = User.objects.get(username="pk.baru")
    assert created.office == admin_user.office and created.check_password("Kata-Sandi-Baru-99")
    assert AuditEntry.objects.get(action="user.create").object_id == str(created.pk)


@pytest.mark.django_db
def test_weak_password_is_refused_on_user_creation(login, admin_user):
    response = login(admin_user).post(reverse("bapas:user_create"), {
        "username": "lemah", "role": Role.PK, "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200 and not User.objects.filter(username="lemah").exists()


@pytest.mark.django_db
def test_admin_cannot_see_or_edit_users_of_another_office(login, admin_user, outsider):
    assert login(admin_user).get(reverse("bapas:user_edit", args=[outsider.pk])).status_code == 404
    assert outsider.username not in login(admin_user).get(reverse("bapas:user_list")).content.decode()


@pytest.mark.django_db
def test_admin_edits_role_and_deactivates_a_user(login, admin_user, pk):
    url = reverse("bapas:user_edit", args=[pk.pk])
    response = login(admin_user).post(url, {"username": pk.username, "role": Role.APK, "is_active": "", "nip": "1",
                                            **opened(login(admin_user), url)})
    assert response.status_code == 302
    pk.refresh_from_db()
    assert pk.role == Role.APK and not pk.is_active


@pytest.mark.django_db
def test_admin_cannot_demote_themselves(login, admin_user):
    response = login(admin_user).post(reverse("bapas:user_edit", args=[admin_user.pk]), {
        "username": admin_user.username, "role": Role.PK, "is_active": "on"})
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN


@pytest.mark.django_db
def test_user_list_search_and_role_filter(login, admin_user, pk, supervisor):
    client = login(admin_user)
    page = client.get(reverse("bapas:user_list"), {"role": Role.SUPERVISOR}).content.decode()
    assert supervisor.username in page and f">{pk.username}<" not in page
    page = client.get(reverse("bapas:user_list"), {"q": "tidak-ada-siapa-pun"}).content.decode()
    assert "Tidak ada pengguna yang cocok" in page


@pytest.mark.django_db
def test_admin_edits_the_letterhead(login, admin_user):
    office = admin_user.office
    url = reverse("bapas:office_edit")
    response = login(admin_user).post(url, {
        **opened(login(admin_user), url),
        "name": office.name, "office_class": "I", "city": "Palembang", "time_zone": "Asia/Jakarta",
        "letterhead_ministry": "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN", "letterhead_address": "Jl. Baru 1",
        "reporting_grace_days": 5, "litmas_number_format": "{nomor}/LITMAS/{kantor}/{tahun}",
        "agreement_clauses": office.agreement_clauses})
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.letterhead_address == "Jl. Baru 1" and office.reporting_grace_days == 5
    assert AuditEntry.objects.filter(action="office.update").exists()


@pytest.mark.django_db
def test_admin_adds_and_deactivates_an_offence_category(login, admin_user, other_office):
    client = login(admin_user)
    assert client.post(reverse("clients_settings:offence_categories"), {"name": "Terorisme", "active": "on"}).status_code == 302
    category = OffenceCategory.objects.get(office=admin_user.office, name="Terorisme")
    duplicate = client.post(reverse("clients_settings:offence_categories"), {"name": "terorisme", "active": "on"})
    assert "sudah ada" in duplicate.content.decode()
    url = reverse("clients_settings:offence_category_edit", args=[category.pk])
    assert client.post(url, {"name": "Terorisme", **opened(client, url)}).status_code == 302
    category.refresh_from_db()
    assert not category.active
    foreign = OffenceCategory.objects.filter(office=other_office).first()
    assert client.get(reverse("clients_settings:offence_category_edit", args=[foreign.pk])).status_code == 404


@pytest.mark.django_db
def test_stage_rule_change_moves_active_supervisions(login, admin_user, pk):
    today = timezone.localdate()
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, start_date=today - datetime.timedelta(days=50),
                                     end_date=today + datetime.timedelta(days=50))
    url = reverse("clients_settings:stage_rule")
    response = login(admin_user).post(url, {"middle_from_percent": 25, "final_from_percent": 50, **opened(login(admin_user), url)})
    assert response.status_code == 302
    supervision.refresh_from_db()
    assert supervision.middle_stage_from == supervision.start_date + datetime.timedelta(days=25)
    assert supervision.stage == "akhir"
    assert StageRule.objects.get(office=pk.office).final_from_percent == 50


@pytest.mark.django_db
def test_stage_rule_must_rise(login, admin_user):
    response = login(admin_user).post(reverse("clients_settings:stage_rule"), {"middle_from_percent": 60, "final_from_percent": 40})
    assert response.status_code == 200 and "Batas harus naik" in response.content.decode()


@pytest.mark.django_db
def test_supervisor_delegates_until_a_date(login, supervisor, supervision, pk2):
    until = timezone.localdate() + datetime.timedelta(days=14)
    url = reverse("clients:supervision_delegate", args=[supervision.pk])
    past = login(supervisor).post(url, {"delegate": pk2.pk, "until": "2020-01-01"})
    assert "masa lalu" in past.content.decode()
    assert login(supervisor).post(url, {"delegate": pk2.pk, "until": until.isoformat()}).status_code == 302
    assert login(pk2).get(reverse("clients:detail", args=[supervision.client_id])).status_code == 200
    assert login(supervisor).post(url, {"delegate": "", "until": ""}).status_code == 302
    assert login(pk2).get(reverse("clients:detail", args=[supervision.client_id])).status_code == 404
    assert AuditEntry.objects.filter(action="supervision.delegate").count() == 2


@pytest.mark.django_db
def test_user_list_query_count_does_not_grow(login, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    client = login(admin_user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("bapas:user_list")).status_code == 200
        return len(queries)

    UserFactory.create_batch(2, office=admin_user.office)
    few = count()
    UserFactory.create_batch(30, office=admin_user.office)
    assert count() == few
