import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, InstrumentVersion, IntensityPolicy
from assessments.policy import add_months, current_policy, reapply_office
from bapas.models import AuditEntry
from tests.assessments.helpers import form_data, policy_post
from tests.factories import ContactFactory, SupervisionFactory

from .helpers import RRI, answers_reaching, synthetic

PAGES = ["assessments_settings:policy", "assessments_settings:instruments"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_only_the_office_admin_opens_the_settings(login, admin_user, pk, supervisor, name):
    assert login(admin_user).get(reverse(name)).status_code == 200
    for other in (pk, supervisor):
        assert login(other).get(reverse(name)).status_code == 403


@pytest.mark.django_db
def test_publishing_a_policy_moves_active_supervisions(login, admin_user, pk, supervision):
    # One client assessed Tinggi, one not yet assessed.
    version = InstrumentVersion.objects.get(instrument__code="RRI")
    login(pk).post(reverse("assessments:start", args=[supervision.pk]), {"version": version.pk, "kind": "initial"})
    draft = Assessment.objects.get()
    login(pk).post(reverse("assessments:edit", args=[draft.pk]), form_data(RRI, answers_reaching(RRI, 13), 1, action="finalise"))
    fresh = SupervisionFactory(client__office=pk.office, officer=pk)
    response = login(admin_user).post(reverse("assessments_settings:policy"), policy_post(**{
        "Tinggi|contacts_per_month": 2, "Tinggi|reassessment_months": 3, "first_assessment_days": 14}))
    assert response.status_code == 302
    assert current_policy(pk.office_id).number == 2 and IntensityPolicy.objects.count() == 2
    supervision.refresh_from_db()
    fresh.refresh_from_db()
    assert supervision.contact_interval_days == 15 and supervision.assessment_due == add_months(timezone.localdate(), 3)
    assert fresh.assessment_due == fresh.start_date + datetime.timedelta(days=14) and fresh.risk_level == ""
    assert AuditEntry.objects.get(action="intensity_policy.publish").detail["supervisions_updated"] == 2


@pytest.mark.django_db
def test_policy_values_are_bounded(login, admin_user):
    response = login(admin_user).post(reverse("assessments_settings:policy"), policy_post(**{"Rendah|contacts_per_month": 0}))
    assert response.status_code == 200 and IntensityPolicy.objects.count() <= 1


@pytest.mark.django_db
def test_reapplying_the_policy_costs_the_same_queries_for_more_supervisions(pk):
    policy = current_policy(pk.office_id)
    SupervisionFactory.create_batch(3, client__office=pk.office, officer=pk)

    def count():
        with CaptureQueriesContext(connection) as queries:
            reapply_office(office_id=pk.office_id, policy=policy)
        return len(queries)

    few = count()
    for supervision in SupervisionFactory.create_batch(30, client__office=pk.office, officer=pk):
        ContactFactory(supervision=supervision)
    assert count() == few


@pytest.mark.django_db
def test_reapply_keeps_an_earlier_appointment(pk, supervision):
    contact = ContactFactory(supervision=supervision, next_appointment=timezone.localdate() + datetime.timedelta(days=5))
    supervision.last_contact_on = timezone.localdate(contact.occurred_at)
    supervision.save()
    reapply_office(office_id=pk.office_id, policy=current_policy(pk.office_id))
    supervision.refresh_from_db()
    assert supervision.next_contact_due == contact.next_appointment


@pytest.mark.django_db
def test_admin_loads_a_new_instrument_version(login, admin_user):
    upload = SimpleUploadedFile("uji.json", json.dumps(synthetic()).encode(), content_type="application/json")
    response = login(admin_user).post(reverse("assessments_settings:instruments"), {"definition": upload})
    assert response.status_code == 302
    assert InstrumentVersion.objects.filter(instrument__code="TEST", loaded_by=admin_user).exists()
    assert AuditEntry.objects.filter(action="instrument.load").exists()
    broken = synthetic()
    broken["total_bands"][2]["max"] = 9
    upload = SimpleUploadedFile("rusak.json", json.dumps(broken).encode(), content_type="application/json")
    page = login(admin_user).post(reverse("assessments_settings:instruments"), {"definition": upload}).content.decode()
    assert "melebihi skor maksimum" in page
    junk = SimpleUploadedFile("junk.json", b"{not json", content_type="application/json")
    assert "Bukan JSON" in login(admin_user).post(reverse("assessments_settings:instruments"), {"definition": junk}).content.decode()
