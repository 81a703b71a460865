"""The caseload dashboard on a hand-built office with known answers, its access rules and its
query count (the same for 50 and 500 clients)."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import CasePlan
from clients.models import Supervision
from programs.followups import schedule_after_supervision
from tests.factories import SupervisionFactory

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def office_data(pk, pk2):
    """pk: 4 active (2 Tinggi, 1 Sedang, 1 unassessed; 2 contacts overdue; 1 assessment overdue; 1 approved plan)
    and 1 closed with overdue follow-ups. pk2: 1 active Rendah PWS, nothing overdue."""
    make = lambda officer, **kw: SupervisionFactory(client__office=officer.office, officer=officer, **kw)  # noqa: E731
    a = make(pk, risk_level="Tinggi", next_contact_due=TODAY() - DAY, assessment_due=TODAY() + 30 * DAY)
    make(pk, risk_level="Tinggi", next_contact_due=TODAY() - 5 * DAY, assessment_due=TODAY() - DAY)
    make(pk, risk_level="Sedang", next_contact_due=TODAY(), assessment_due=TODAY(), legal_basis="CB")
    make(pk, risk_level="", next_contact_due=TODAY() + DAY, assessment_due=TODAY() + DAY)
    CasePlan.objects.create(supervision=a, status="approved")
    closed = make(pk, closed_on=TODAY() - 200 * DAY, closure_reason="completed", start_date=TODAY() - 600 * DAY,
                  end_date=TODAY() - 200 * DAY)
    schedule_after_supervision(closed)  # 3 and 6 months overdue
    make(pk2, risk_level="Rendah", legal_basis="PWS", next_contact_due=TODAY() + 3 * DAY, assessment_due=TODAY() + 60 * DAY)


def row_of(response, user):
    return next(row for row in response.context["rows"] if row["pk"] == user.pk)


@pytest.mark.django_db
def test_every_figure_on_a_hand_built_office(login, supervisor, pk, pk2, office_data):
    response = login(supervisor).get(reverse("reports:caseload"))
    mine = row_of(response, pk)
    assert (mine["active"], mine["contact_overdue"], mine["assessment_overdue"], mine["unassessed"]) == (4, 2, 1, 1)
    assert mine["risk"] == [0, 1, 2, 0] and mine["follow_ups_overdue"] == 2 and mine["no_approved_plan"] == 3
    assert mine["basis"]["PB"] == 3 and mine["basis"]["CB"] == 1
    other = row_of(response, pk2)
    assert (other["active"], other["contact_overdue"], other["risk"], other["basis"]["PWS"]) == (1, 0, [1, 0, 0, 0], 1)
    totals = response.context["totals"]
    assert (totals["active"], totals["contact_overdue"], totals["follow_ups_overdue"], totals["risk"]) == (5, 2, 2, [1, 1, 2, 0])


@pytest.mark.django_db
def test_sorting_and_drill_down(login, supervisor, pk, pk2, office_data):
    rows = login(supervisor).get(reverse("reports:caseload"), {"urut": "active"}).context["rows"]
    assert [row["active"] for row in rows] == sorted(row["active"] for row in rows)
    rows = login(supervisor).get(reverse("reports:caseload"), {"urut": "-contact_overdue"}).context["rows"]
    assert rows[0]["pk"] == pk.pk
    page = login(supervisor).get(reverse("reports:caseload")).content.decode()
    assert f"?officer={pk.pk}&overdue=true" in page
    drilled = login(supervisor).get(reverse("clients:list"), {"officer": pk.pk, "overdue": "true"})
    assert drilled.context["page"].paginator.count == 2
    assert login(supervisor).get(reverse("clients:list"),
                                 {"officer": pk.pk, "assessment_overdue": "true"}).context["page"].paginator.count == 1
    assert login(supervisor).get(reverse("clients:list"), {"officer": pk.pk, "risk": "Tinggi"}).context["page"].paginator.count == 2
    follow_ups = login(supervisor).get(reverse("programs:follow_ups"), {"show": "overdue", "officer": pk.pk})
    assert follow_ups.context["page"].paginator.count == 2


@pytest.mark.django_db
def test_a_pk_sees_only_their_own_figures_and_others_nothing(login, pk, pk2, admin_user, outsider_supervisor, office_data):
    rows = login(pk).get(reverse("reports:caseload")).context["rows"]
    assert [row["pk"] for row in rows] == [pk.pk]
    assert login(admin_user).get(reverse("reports:caseload")).status_code == 403
    outsider_rows = login(outsider_supervisor).get(reverse("reports:caseload")).context["rows"]
    assert pk.pk not in [row["pk"] for row in outsider_rows]


@pytest.mark.django_db
def test_anonymous_goes_to_login(client):
    response = client.get(reverse("reports:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_query_count_is_the_same_for_50_and_500_clients(login, supervisor, pk, pk2):
    client = login(supervisor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:caseload")).status_code == 200
        return len(queries)

    SupervisionFactory.create_batch(25, client__office=pk.office, officer=pk, risk_level="Sedang")
    SupervisionFactory.create_batch(25, client__office=pk.office, officer=pk2, risk_level="Tinggi")
    fifty = count()
    SupervisionFactory.create_batch(225, client__office=pk.office, officer=pk, next_contact_due=TODAY() - DAY)
    SupervisionFactory.create_batch(225, client__office=pk.office, officer=pk2, risk_level="Rendah")
    assert count() == fifty


@pytest.mark.django_db
def test_workload_points_against_capacity_and_the_suggested_pk(login, supervisor, pk, pk2, office):
    from bapas.models import Role
    from reports.models import OfficerCapacity
    from tests.factories import UserFactory

    # Defaults: risk Rendah 1 / Sedang 2 / Tinggi 3 / Sangat Tinggi 4 / unassessed 2; PWS and PKS +1; 1.5 hours a point.
    SupervisionFactory(client__office=office, officer=pk, risk_level="Tinggi", legal_basis="PWS")      # 4
    SupervisionFactory(client__office=office, officer=pk, risk_level="Sangat Tinggi")                  # 4
    SupervisionFactory(client__office=office, officer=pk2, risk_level="Rendah")                        # 1
    OfficerCapacity.objects.create(officer=pk, contracted_hours=150, part_time_percent=50, leave_hours=15)  # 60 h = 40 points
    pk3 = UserFactory(office=office, role=Role.PK)
    OfficerCapacity.objects.create(officer=pk3, contracted_hours=150, other_duty_hours=147)             # 3 h = 2 points
    rows = {row["pk"]: row for row in login(supervisor).get(reverse("reports:caseload")).context["rows"]}
    assert (rows[pk.pk]["points"], rows[pk.pk]["capacity_points"], rows[pk.pk]["percent"]) == (8, 40, 20)
    assert (rows[pk2.pk]["points"], rows[pk2.pk]["capacity_points"], rows[pk2.pk]["percent"]) == (1, 100, 1)
    assert rows[pk3.pk]["points"] == 0
    # Reassigning a 3-point case away from pk: pk2 goes to 4 %, pk3 would go to 150 %: pk2 is suggested.
    case = SupervisionFactory(client__office=office, officer=pk, risk_level="Tinggi")
    response = login(supervisor).get(reverse("clients:supervision_assign", args=[case.pk]))
    advice = response.context["advice"]
    assert advice["case_points"] == 3 and advice["suggested"] == pk2
    after = {row["officer"].pk: row["after_percent"] for row in advice["rows"]}
    assert after == {pk2.pk: 4, pk3.pk: 150}
    assert response.context["form"].initial["officer"] == pk2.pk


@pytest.mark.django_db
def test_admin_edits_points_and_capacity(login, admin_user, pk, supervisor):
    from reports.models import OfficerCapacity, WorkloadModel

    url = reverse("reports:workload_settings")
    assert login(supervisor).get(url).status_code == 403
    page = login(admin_user).get(url)
    assert page.status_code == 200
    data = {"fingerprint": page.context["fingerprint"], "hours_per_point": "2", "litmas_points": 6,
            "risk|": 2, "risk|Rendah": 1, "risk|Sedang": 2, "risk|Tinggi": 5, "risk|Sangat Tinggi": 8}
    data.update({f"basis|{code}": 0 for code in ["PB", "CB", "CMB", "AS", "PBS", "PWS", "PKS"]})
    data.update({f"cap|{pk.pk}|contracted_hours": 100, f"cap|{pk.pk}|part_time_percent": 0, f"cap|{pk.pk}|training_hours": 10,
                 f"cap|{pk.pk}|leave_hours": 0, f"cap|{pk.pk}|other_duty_hours": 0})
    bad = login(admin_user).post(url, data | {"risk|Tinggi": 99, f"cap|{pk.pk}|training_hours": 12})
    assert bad.status_code == 200 and "0–20" in bad.content.decode()
    # What was typed stays on the page, the wrong figure with the right ones.
    assert ('name="risk|Tinggi" value="99"' in bad.content.decode()
            and f'name="cap|{pk.pk}|training_hours" value="12"' in bad.content.decode())
    assert login(admin_user).post(url, data).status_code == 302
    model = WorkloadModel.objects.get(office=admin_user.office)
    assert model.risk_points["Tinggi"] == 5 and model.hours_per_point == 2 and model.litmas_points == 6
    assert OfficerCapacity.objects.get(officer=pk).available_hours == 90


@pytest.mark.django_db
def test_today_shows_a_pk_their_own_load_and_mix(login, pk, supervisor, office):
    SupervisionFactory(client__office=office, officer=pk, risk_level="Tinggi")
    SupervisionFactory(client__office=office, officer=pk, risk_level="")
    page = login(pk).get(reverse("bapas:today")).content.decode()
    section = page[page.index('data-testid="own-load"'):]
    assert "<strong>5</strong> / 100,0" in section and "Tinggi: 1" in section and "belum: 1" in section
    assert 'data-testid="own-load"' not in login(supervisor).get(reverse("bapas:today")).content.decode()


@pytest.mark.django_db
def test_every_linked_figure_leads_to_that_many_rows(login, supervisor, pk, office_data):
    """Each number in an officer's row that links somewhere opens a list of exactly that many rows."""
    without_plan = Supervision.objects.filter(officer=pk, closed_on__isnull=True, case_plan__isnull=True).order_by("pk")
    submitted, approved = without_plan[0], without_plan[1]
    CasePlan.objects.create(supervision=submitted, status="submitted")  # a plan, but not approved
    CasePlan.objects.create(supervision=approved, status="approved")
    client = login(supervisor)
    page = client.get(reverse("reports:caseload")).content.decode()
    row = re.search(rf'data-officer="{pk.pk}">(.*?)</tr>', page, re.S).group(1)
    links = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(\d+)</a>', row)
    linked = {re.search(r"(overdue|assessment_overdue|unassessed|no_approved_plan|risk|show)=", url).group(1) for url, _ in links}
    assert linked == {"overdue", "assessment_overdue", "unassessed", "no_approved_plan", "risk", "show"}
    for url, figure in links:
        assert client.get(html.unescape(url)).context["page"].paginator.count == int(figure), url


@pytest.mark.django_db
def test_a_litmas_being_written_weighs_on_its_pk_until_decided(login, pk, supervisor, supervision):
    from assessments.models import Litmas
    from reports.workload import officer_load, own_load

    def load():
        return officer_load(office_id=pk.office_id)[pk.pk]

    before = load()["points"]
    litmas = Litmas.objects.create(office=pk.office, client=supervision.client, kind="pb", year=2026, number=1, register_number="1",
                                   officer=pk, requested_by="Lapas", requested_on=timezone.localdate(),
                                   due_on=timezone.localdate(), created_by=supervisor)
    assert (load()["points"], load()["litmas"]) == (before + 4, 1)  # the shipped 4 points a Litmas
    page = login(supervisor).get(reverse("reports:caseload")).content.decode()
    assert "termasuk 1 Litmas" in page
    request = type("Request", (), {"user": pk})()
    assert own_load(request)["load"]["points"] == before + 4
    Litmas.objects.filter(pk=litmas.pk).update(status="approved")
    assert (load()["points"], load()["litmas"]) == (before, 0)
