"""The Kanwil's recap: figures for each office of its region, nothing of other regions, no client's
file, and a fixed number of queries however many offices."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Litmas
from bapas.models import Role
from clients.models import RecidivismEvent
from tests.factories import OfficeFactory, SupervisionFactory, UserFactory, ViolationFactory

TODAY = timezone.localdate
REGION = "Kanwil Sumatera Selatan"


@pytest.fixture
def kanwil(db):
    return UserFactory(username="kanwil", office=None, role=Role.REGIONAL, region=REGION)


def office_with(code, zone="Asia/Jakarta", region=REGION, clients=3, overdue=1, officers=1):
    office = OfficeFactory(code=code, region=region, time_zone=zone)
    pks = [UserFactory(office=office, role=Role.PK) for _ in range(officers)]
    for i in range(clients):
        due = TODAY() - datetime.timedelta(days=2) if i < overdue else TODAY() + datetime.timedelta(days=5)
        SupervisionFactory(client__office=office, officer=pks[i % officers], next_contact_due=due,
                           risk_level="Tinggi" if i == 0 else "")
    return office


@pytest.mark.django_db
def test_recap_has_a_row_for_each_office_of_the_region_only(login, kanwil):
    plg = office_with("PLG", clients=4, overdue=2, officers=2)
    office_with("LLG", zone="Asia/Jakarta", clients=2, overdue=0)
    office_with("MKS", zone="Asia/Makassar", region="Kanwil Sulawesi Selatan", clients=5)
    supervision = plg.supervisions.first()
    ViolationFactory(supervision=supervision)
    RecidivismEvent.objects.create(client=supervision.client, kind="rearrest", event_date=TODAY(), source="Polres",
                                   recorded_by=supervision.officer)
    Litmas.objects.create(office=plg, client=supervision.client, kind="pb", year=2026, number=1, register_number="1",
                          officer=supervision.officer, requested_by="Lapas", requested_on=TODAY() - datetime.timedelta(days=20),
                          due_on=TODAY() - datetime.timedelta(days=1), created_by=supervision.officer)
    response = login(kanwil).get(reverse("reports:regional"))
    rows = {row["office"].code: row for row in response.context["rows"]}
    assert set(rows) == {"PLG", "LLG"}
    plg_row = rows["PLG"]
    assert (plg_row["active"], plg_row["officers"], plg_row["per_officer"], plg_row["contact_overdue"]) == (4, 2, 2, 2)
    assert (plg_row["contact_overdue_pct"], plg_row["unassessed"], plg_row["high_risk_pct"]) == (50, 3, 25)
    assert (plg_row["litmas_overdue"], plg_row["violations_open"], plg_row["new_offences_12m"]) == (1, 1, 1)
    assert response.context["totals"]["active"] == 6
    page = response.content.decode()
    assert supervision.client.full_name not in page  # figures only


@pytest.mark.django_db
def test_a_kanwil_account_sees_no_client_file_and_no_office_page(login, kanwil, client_record):
    client = login(kanwil)
    assert client.get(reverse("home"))["Location"] == reverse("reports:regional")
    assert client.get(reverse("clients:detail", args=[client_record.pk])).status_code == 404
    assert client_record.full_name not in client.get(reverse("clients:list")).content.decode()
    for name in ("reports:caseload", "reports:office", "reports:monthly", "bapas:audit", "bapas:settings"):
        assert client.get(reverse(name)).status_code == 403, name
    assert list(client.get(reverse("litmas:list")).context["page"].object_list) == []
    # Pages every signed-in person has still open, empty.
    assert client.get(reverse("bapas:today")).status_code == 200
    assert client.get(reverse("bapas:notifications")).status_code == 200
    assert client.get(reverse("programs:follow_ups")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pk", "supervisor", "head", "admin_user"])
def test_office_staff_cannot_open_the_recap(login, request, who):
    assert login(request.getfixturevalue(who)).get(reverse("reports:regional")).status_code == 403


@pytest.mark.django_db
def test_office_admin_cannot_make_a_kanwil_account(login, admin_user):
    form = login(admin_user).get(reverse("bapas:user_create")).context["form"]
    assert "regional" not in [value for value, _label in form.fields["role"].choices]


@pytest.mark.django_db
def test_recap_query_count_does_not_grow_with_offices(login, kanwil):
    office_with("PLG")

    def count():
        client = login(kanwil)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:regional")).status_code == 200
        return len(captured)

    few = count()
    for i in range(4):
        office_with(f"X{i}", clients=5)
    assert count() == few


@pytest.mark.django_db
def test_a_national_account_sees_every_office_and_each_regions_subtotal(login):
    office_with("PLG", clients=4)
    office_with("LLG", clients=2)
    office_with("MKS", zone="Asia/Makassar", region="Kanwil Sulawesi Selatan", clients=5)
    national = UserFactory(username="ditjen", office=None, role=Role.NATIONAL)
    response = login(national).get(reverse("home"), follow=True)
    assert [row["office"].code for row in response.context["rows"]] == ["MKS", "LLG", "PLG"]  # by region, then name
    assert dict((name, r["active"]) for name, r in response.context["regions"]) == {REGION: 6, "Kanwil Sulawesi Selatan": 5}
    assert response.context["totals"]["active"] == 11
    assert login(national).get(reverse("clients:list")).context["page"].paginator.count == 0


@pytest.mark.django_db
@pytest.mark.parametrize("zone, expected", [("Asia/Makassar", "Asia/Makassar"), ("", "Asia/Jakarta")])
def test_a_kanwil_account_speaks_in_its_own_zone(kanwil, pk, zone, expected):
    """An account with no office has its own zone (WIB when none is set); staff follow their office."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from bapas.middleware import UserPreferencesMiddleware

    kanwil.time_zone = zone
    kanwil.save()
    pk.time_zone = "Asia/Jayapura"  # ignored: the office decides
    seen = []
    middleware = UserPreferencesMiddleware(lambda request: seen.append(timezone.get_current_timezone_name()) or HttpResponse())
    for user in (kanwil, pk):
        request = RequestFactory().get("/")
        request.user = user
        middleware(request)
    assert seen == [expected, pk.office.time_zone]
