import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, InstrumentVersion
from reports.trends import month_starts, office_trends
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
    assert trends["contacts_required"][-1] == 4 and trends["contacts_required"][0] == 0
    assert trends["assessments_done"][-1] == 1


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
