import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from programs.models import CommunityServiceDay

TODAY = timezone.localdate


def day(hours, days_ago=1, **extra):
    return {"date": (TODAY() - datetime.timedelta(days=days_ago)).isoformat(), "hours": hours, "place": "Taman kota",
            "site_supervisor": "Pak Lurah", "activity": "Membersihkan taman", **extra}


@pytest.mark.django_db
def test_hours_done_left_and_deadline(login, pk, pks):
    url = reverse("programs:service_days", args=[pks.pk])
    assert login(pk).post(url, day("8")).status_code == 302
    assert login(pk).post(url, day("4", days_ago=2)).status_code == 302
    page = login(pk).get(url).content.decode()
    assert 'data-testid="service-done">12,0<' in page and 'data-testid="service-left">8,0<' in page
    from assessments.policy import add_months

    assert add_months(pks.start_date, 6).strftime("%d-%m-%Y") in page
    assert AuditEntry.objects.filter(action="community_service.create").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "first, second, message",
    [
        ("6", "3", "8 jam sehari"),     # 9 hours on one day
        ("8", "8.5", "8"),              # over 8 in one entry
    ],
)
def test_at_most_8_hours_a_day(login, pk, pks, first, second, message):
    url = reverse("programs:service_days", args=[pks.pk])
    login(pk).post(url, day(first))
    response = login(pk).post(url, day(second))
    assert response.status_code == 200 and message in response.content.decode()
    assert CommunityServiceDay.objects.count() == 1


@pytest.mark.django_db
def test_total_cannot_pass_the_ordered_hours(login, pk, pks):
    url = reverse("programs:service_days", args=[pks.pk])
    for days_ago in (1, 2):
        login(pk).post(url, day("8", days_ago=days_ago))
    response = login(pk).post(url, day("5", days_ago=3))
    assert "sisa 4" in response.content.decode().replace(",0", "")
    assert login(pk).post(url, day("4", days_ago=3)).status_code == 302


@pytest.mark.django_db
def test_dates_are_checked(login, pk, pks):
    url = reverse("programs:service_days", args=[pks.pk])
    assert "masa depan" in login(pk).post(url, day("2", days_ago=-1)).content.decode()
    assert "sebelum pidana kerja sosial dimulai" in login(pk).post(url, day("2", days_ago=30)).content.decode()
    assert not CommunityServiceDay.objects.exists()


@pytest.mark.django_db
def test_only_for_pks_and_only_in_scope(login, pk, pk2, outsider, supervision, pks):
    assert login(pk).get(reverse("programs:service_days", args=[supervision.pk])).status_code == 404  # a PB supervision
    for user in (pk2, outsider):
        assert login(user).get(reverse("programs:service_days", args=[pks.pk])).status_code == 404


@pytest.mark.django_db
def test_service_days_page_query_count_does_not_grow(login, pk, pks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(pk)
    url = reverse("programs:service_days", args=[pks.pk])
    client.post(url, day("1", days_ago=1))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for days_ago in range(2, 12):
        CommunityServiceDay.objects.create(supervision=pks, date=TODAY() - datetime.timedelta(days=days_ago), hours=1,
                                           place="Taman", site_supervisor="X", activity="Y", recorded_by=pk)
    assert count() == few
