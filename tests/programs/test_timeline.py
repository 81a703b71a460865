"""The client timeline gathers supervisions, contacts, violations, assessments, programmes,
sessions and follow-ups into one chronological view."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, InstrumentVersion
from programs.followups import follow_up_record
from programs.models import FollowUp, Programme, ProgrammeSession
from programs.services import enrolment_set_status, session_log
from tests.factories import ContactFactory, ViolationFactory
from tests.programs.helpers import enrolled

TODAY = timezone.localdate


def history(pk, supervision, sessions=1):
    programme = Programme.objects.create(office=pk.office, name="Las", programme_type="keterampilan", facilitator_officer=pk)
    (enrolment,) = enrolled(programme, pk, supervision=supervision)
    for index in range(sessions):
        session_log(by=pk, session=ProgrammeSession(programme=programme, date=TODAY() - datetime.timedelta(days=index),
                                                    duration_hours=2, topic=f"Topik {index}", facilitator="PK"),
                    attendance={enrolment.pk: "present"})
    enrolment.refresh_from_db()
    enrolment_set_status(by=pk, enrolment=enrolment, status="completed", reason="", on=TODAY(), expected_version=enrolment.row_version)
    follow_up = FollowUp.objects.filter(enrolment=enrolment).first()
    follow_up_record(by=pk, follow_up=follow_up, reached=True, expected_version=1, data={
        "on": TODAY(), "method": "phone", "employment": "good", "housing": "good", "family": "good", "substance_use": "good",
        "new_offence": False, "notes": ""})
    Assessment.objects.create(supervision=supervision, version=InstrumentVersion.objects.get(instrument__code="RRI"),
                              status="final", assessed_on=TODAY() - datetime.timedelta(days=3), assessor=pk,
                              final_level="Sedang", computed_level="Sedang", total=8)
    ContactFactory(supervision=supervision, notes="Wajib lapor rutin")
    ViolationFactory(supervision=supervision)


@pytest.mark.django_db
def test_timeline_shows_every_kind_newest_first(login, pk, supervision):
    history(pk, supervision)
    response = login(pk).get(reverse("clients:timeline", args=[supervision.client_id]))
    page = response.content.decode()
    kinds = {entry for entry in ("supervisions", "contacts", "violations", "assessments", "programmes", "sessions", "follow_ups")
             if f'data-kind="{entry}"' in page}
    assert kinds == {"supervisions", "contacts", "violations", "assessments", "programmes", "sessions", "follow_ups"}
    days = [entry.day for entry in response.context["page"].object_list]
    assert days == sorted(days, reverse=True)


@pytest.mark.django_db
def test_timeline_filters_by_kind(login, pk, supervision):
    history(pk, supervision)
    page = login(pk).get(reverse("clients:timeline", args=[supervision.client_id]), {"kind": ["assessments"]}).content.decode()
    assert 'data-kind="assessments"' in page and 'data-kind="contacts"' not in page


@pytest.mark.django_db
def test_timeline_query_count_does_not_grow_with_history(login, pk, supervision):
    history(pk, supervision, sessions=1)
    client = login(pk)
    url = reverse("clients:timeline", args=[supervision.client_id])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    ContactFactory.create_batch(30, supervision=supervision)
    history(pk, supervision, sessions=5)
    assert count() == few


@pytest.mark.django_db
def test_timeline_is_404_outside_scope(login, pk2, outsider, supervision):
    for user in (pk2, outsider):
        assert login(user).get(reverse("clients:timeline", args=[supervision.client_id])).status_code == 404
