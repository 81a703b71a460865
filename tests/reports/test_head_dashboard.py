import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, InstrumentVersion
from clients.models import Revocation, Supervision
from reports.trends import contacts_required, month_starts, office_trends
from tests.factories import ContactFactory, SupervisionFactory, ViolationFactory

D = datetime.date


def test_twelve_month_starts_end_with_this_month():
    starts = month_starts(D(2026, 11, 28))
    assert len(starts) == 12 and starts[0] == D(2025, 12, 1) and starts[-1] == D(2026, 11, 1)
    assert month_starts(D(2026, 1, 5))[0] == D(2025, 2, 1)


@pytest.mark.django_db
def test_trends_on_a_hand_built_office(pk):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    # Two intakes this month with a 15-day interval (2 contacts each); one closed this month (revoked).
    a = SupervisionFactory(client__office=pk.office, officer=pk, start_date=this_month, end_date=this_month + datetime.timedelta(days=400),
                           contact_interval_days=15)
    SupervisionFactory(client__office=pk.office, officer=pk, start_date=this_month, end_date=this_month + datetime.timedelta(days=400),
                       contact_interval_days=15, closed_on=this_month, closure_reason="revoked")
    ContactFactory(supervision=a, occurred_at=timezone.make_aware(datetime.datetime.combine(this_month, datetime.time(10))))
    ContactFactory(supervision=a, attended=False, occurred_at=timezone.make_aware(datetime.datetime.combine(this_month, datetime.time(11))))
    ViolationFactory(supervision=a, occurred_on=this_month, action="revocation_proposal")
    Assessment.objects.create(supervision=a, version=InstrumentVersion.objects.get(instrument__code="RRI"), status="final",
                              assessed_on=this_month, assessor=pk, final_level="Sedang", total=8)
    trends = office_trends(office_id=pk.office_id, today=today)
    assert trends["intakes"][-1] == 2 and sum(trends["intakes"]) == 2
    assert trends["closures"]["revoked"][-1] == 1 and trends["closures"]["completed"][-1] == 0
    assert trends["revocation_proposals"][-1] == 1
    assert trends["contacts_done"][-1] == 1  # the missed one does not count
    # Owed so far this month at 30/15 a month: the one running since the 1st until today, the other its one day.
    month_days = ((this_month + datetime.timedelta(days=32)).replace(day=1) - this_month).days
    assert trends["contacts_required"][-1] == round(2 * (today.day + 1) / month_days) and trends["contacts_required"][0] == 0
    assert trends["assessments_done"][-1] == 1


NOVEMBER = D(2026, 11, 1)  # 30 days


@pytest.mark.django_db
@pytest.mark.parametrize("start, end, closed, until, owed", [
    (D(2026, 9, 1), D(2027, 9, 1), None, None, 30),            # the whole month
    (D(2026, 11, 28), D(2027, 11, 28), None, None, 3),         # taken on on the 28th
    (D(2026, 11, 28), D(2027, 11, 28), None, D(2026, 11, 29), 2),  # ... and it is the 29th
    (D(2026, 9, 1), D(2027, 9, 1), D(2026, 11, 10), None, 10),  # closed on the 10th
    (D(2026, 9, 1), D(2026, 11, 5), None, None, 5),            # its period ended on the 5th
    (D(2026, 9, 1), D(2026, 11, 5), D(2026, 11, 20), None, 5),  # closed after its period ended
    (D(2026, 12, 1), D(2027, 12, 1), None, None, 0),           # starts next month
    (D(2026, 11, 28), D(2027, 11, 28), None, D(2026, 11, 27), 0),  # starts after today
])
def test_required_contacts_are_owed_for_the_days_a_supervision_ran(pk, start, end, closed, until, owed):
    """A contact a day (interval 1) makes the figure the number of days owed."""
    SupervisionFactory(client__office=pk.office, officer=pk, start_date=start, end_date=end, closed_on=closed,
                       closure_reason="completed" if closed else "", contact_interval_days=1)
    assert contacts_required(Supervision.objects.all(), [NOVEMBER], until=until) == [owed]


@pytest.mark.django_db
@pytest.mark.parametrize("suspended, decided, closed, owed, owed_by_15th", [
    (D(2026, 11, 11), None, None, 10, 10),                        # in custody since the 11th, awaiting the decision
    (D(2026, 11, 11), D(2026, 11, 21), None, 20, 10),             # ... back on the 21st: the 21st is owed again
    (D(2026, 10, 1), D(2026, 11, 6), None, 25, 10),               # in custody since October, back on the 6th
    (D(2026, 11, 11), D(2026, 11, 21), D(2026, 11, 21), 11, 10),  # revoked on the 21st: owed until the 10th, and the 21st
    (D(2026, 10, 1), D(2026, 10, 20), None, 30, 15),              # an October custody owes all of November
])
def test_days_in_custody_owe_no_contacts(pk, suspended, decided, closed, owed, owed_by_15th):
    """A contact a day (interval 1): a suspended release owes nothing from the suspension until the decision."""
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, start_date=D(2026, 9, 1), end_date=D(2027, 9, 1),
                                     closed_on=closed, closure_reason="revoked" if closed else "", contact_interval_days=1)
    violation = ViolationFactory(supervision=supervision, occurred_on=D(2026, 9, 20), action="revocation_proposal")
    Revocation.objects.create(violation=violation, supervision=supervision, report_number="BA/1", report_date=D(2026, 9, 21),
                              stage="not_revoked" if decided else "suspended", suspended_on=suspended, decided_on=decided,
                              created_by=pk)
    # A second client, with no case, owes the whole month.
    SupervisionFactory(client__office=pk.office, officer=pk, start_date=D(2026, 9, 1), end_date=D(2027, 9, 1), contact_interval_days=1)
    assert contacts_required(Supervision.objects.all(), [NOVEMBER], until=None) == [owed + 30]
    assert contacts_required(Supervision.objects.filter(pk=supervision.pk), [NOVEMBER], until=D(2026, 11, 15)) == [owed_by_15th]


@pytest.mark.django_db
def test_a_whole_month_owes_the_same_whatever_its_length_and_a_month_not_begun_owes_nothing(pk):
    SupervisionFactory(client__office=pk.office, officer=pk, start_date=D(2026, 1, 1), end_date=D(2027, 12, 1), contact_interval_days=15)
    months = [D(2026, 2, 1), D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1)]
    assert contacts_required(Supervision.objects.all(), months, until=D(2026, 11, 30)) == [2, 2, 2, 0]


@pytest.mark.django_db
def test_access_and_query_count(login, head, supervisor, pk, admin_user, outsider):
    assert login(head).get(reverse("reports:office")).status_code == 200
    assert login(supervisor).get(reverse("reports:office")).status_code == 200
    for user in (pk, admin_user, outsider):
        assert login(user).get(reverse("reports:office")).status_code == 403
    client = login(head)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reports:office"))
        assert response.status_code == 200 and 'id="trend-data"' in response.content.decode()
        return len(queries)

    SupervisionFactory.create_batch(5, client__office=pk.office, officer=pk)
    few = count()
    for supervision in SupervisionFactory.create_batch(40, client__office=pk.office, officer=pk):
        ContactFactory(supervision=supervision)
    assert count() == few
