"""Assessing a client through the pages: start, draft, live score, finalise, intensity, override,
correction — with access rules and query budgets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, InstrumentVersion
from assessments.policy import add_months
from bapas.models import AuditEntry
from tests.assessments.helpers import form_data, rri_version

from .helpers import KRIM, RRI, answers_reaching


@pytest.fixture
def draft(login, pk, supervision):
    response = login(pk).post(reverse("assessments:start", args=[supervision.pk]), {"version": rri_version().pk, "kind": "initial"})
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessments:edit", args=[assessment.pk])
    return assessment


@pytest.mark.django_db
def test_new_supervision_starts_on_the_provisional_policy(supervision, login, pk):
    from clients.services import supervision_open
    from tests.factories import ClientFactory, SupervisionFactory

    template = SupervisionFactory.build(client=ClientFactory(office=pk.office), officer=pk, reporting_interval_days=30)
    opened = supervision_open(by=pk, supervision=template)
    assert opened.assessment_due == opened.start_date + datetime.timedelta(days=30)
    assert opened.risk_level == "" and opened.contact_interval_days == 30


@pytest.mark.django_db
def test_officer_finalises_an_rri_and_the_level_sets_intensity(login, pk, draft, supervision):
    client = login(pk)
    answers = answers_reaching(RRI, 13)  # Tinggi
    response = client.post(reverse("assessments:edit", args=[draft.pk]), form_data(RRI, answers, 1, action="finalise"))
    assert response.status_code == 302 and response["Location"] == reverse("assessments:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.status, draft.total, draft.computed_level, draft.final_level) == ("final", 13, "Tinggi", "Tinggi")
    supervision.refresh_from_db()
    assert supervision.risk_level == "Tinggi"
    assert supervision.policy_interval_days == 7 and supervision.contact_interval_days == 7
    # Six months on, unless tahap lanjutan begins sooner: then two weeks after it begins.
    assert supervision.assessment_due == min(add_months(timezone.localdate(), 6),
                                             supervision.middle_stage_from + datetime.timedelta(days=14))
    page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    assert "Tinggi" in page and ">13<" in page
    # Every scored answer shows the option chosen, with its points.
    for item in (i for i in RRI["items"] if i.get("scored")):
        chosen = next(o for o in item["options"] if o["code"] == answers[item["code"]])
        assert f"<strong>{chosen['label']} ({chosen['points']})</strong>" in page
    assert "Risiko: Tinggi" in client.get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    assert "Tinggi" in client.get(reverse("clients:list")).content.decode()
    assert {"assessment.create", "assessment.update", "assessment.finalise", "assessment.view"} <= set(
        AuditEntry.objects.values_list("action", flat=True))


@pytest.mark.django_db
def test_draft_keeps_answers_and_notes(login, pk, draft):
    data = form_data(RRI, {"A1": "ya"}, 1,
                     **{"a-A1-note": "Ditahan usia 15 (BAP 2010)", "a-B2-checked": "on", "responsivity": ["literacy"]})
    assert login(pk).post(reverse("assessments:edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert draft.answers["A1"] == {"option": "ya", "note": "Ditahan usia 15 (BAP 2010)"}
    assert draft.answers["B2"]["checked"] is True and draft.responsivity == ["literacy"] and draft.status == "draft"
    page = login(pk).get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    assert "Ditahan usia 15 (BAP 2010)" in page


@pytest.mark.django_db
def test_incomplete_assessment_cannot_be_finalised(login, pk, draft):
    response = login(pk).post(reverse("assessments:edit", args=[draft.pk]), form_data(RRI, {"A1": "ya"}, 1, action="finalise"))
    assert response.status_code == 200 and "Belum lengkap" in response.content.decode() and "A2" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.answers["A1"]["option"] == "ya"


@pytest.mark.django_db
def test_live_score_comes_from_the_server_engine(login, pk, draft):
    response = login(pk).post(reverse("assessments:score", args=[draft.pk]), {"a-A1-option": "ya", "a-A5-option": "3+"},
                              HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'data-testid="live-total">7<' in page and "Sedang" in page
    assert "<html" not in page
    draft.refresh_from_db()
    assert draft.answers == {}


@pytest.mark.django_db
def test_finalised_assessment_is_read_only_and_corrected_by_a_new_one(login, pk, draft):
    client = login(pk)
    client.post(reverse("assessments:edit", args=[draft.pk]), form_data(RRI, answers_reaching(RRI, 3), 1, action="finalise"))
    again = client.post(reverse("assessments:edit", args=[draft.pk]), form_data(RRI, answers_reaching(RRI, 17), 3, action="finalise"))
    assert again.status_code == 302 and again["Location"] == reverse("assessments:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.total == 3
    response = client.post(reverse("assessments:correct", args=[draft.pk]))
    correction = Assessment.objects.exclude(pk=draft.pk).get()
    assert response["Location"] == reverse("assessments:edit", args=[correction.pk])
    assert correction.corrects == draft and correction.status == "draft" and correction.answers == draft.answers


@pytest.mark.django_db
def test_override_needs_a_reason_and_a_supervisors_approval(login, pk, supervisor, draft, supervision):
    answers = answers_reaching(RRI, 5)  # Rendah
    no_reason = login(pk).post(reverse("assessments:edit", args=[draft.pk]),
                               form_data(RRI, answers, 1, action="finalise", override_level="Tinggi"))
    assert "memerlukan alasan" in no_reason.content.decode()
    draft.refresh_from_db()
    login(pk).post(reverse("assessments:edit", args=[draft.pk]), form_data(
        RRI, answers, draft.row_version, action="finalise", override_level="Tinggi", override_reason="Ancaman terhadap korban"))
    draft.refresh_from_db()
    assert (draft.computed_level, draft.final_level, draft.override_status) == ("Rendah", "Rendah", "pending")
    supervision.refresh_from_db()
    assert supervision.risk_level == "Rendah"
    assert login(pk).post(reverse("assessments:override", args=[draft.pk]), {"decision": "approve"}).status_code == 403
    login(supervisor).post(reverse("assessments:override", args=[draft.pk]), {"decision": "approve"})
    draft.refresh_from_db()
    supervision.refresh_from_db()
    assert (draft.computed_level, draft.final_level, draft.override_status) == ("Rendah", "Tinggi", "approved")
    assert draft.override_decided_by == supervisor and supervision.risk_level == "Tinggi"


@pytest.mark.django_db
def test_a_supervisor_of_another_office_cannot_decide(login, pk, outsider_supervisor, draft):
    login(pk).post(reverse("assessments:edit", args=[draft.pk]), form_data(
        RRI, answers_reaching(RRI, 5), 1, action="finalise", override_level="Tinggi", override_reason="x"))
    assert login(outsider_supervisor).post(reverse("assessments:override", args=[draft.pk]), {"decision": "approve"}).status_code == 404


@pytest.mark.django_db
def test_kriminogenik_result_shows_domains_and_top_needs(login, pk, supervision):
    version = InstrumentVersion.objects.get(instrument__code="KRIMINOGENIK")
    login(pk).post(reverse("assessments:start", args=[supervision.pk]), {"version": version.pk, "kind": "initial"})
    assessment = Assessment.objects.get()
    answers = answers_reaching(KRIM, 6, domain="Keluarga dan Pernikahan")
    login(pk).post(reverse("assessments:edit", args=[assessment.pk]), form_data(KRIM, answers, 1, action="finalise"))
    page = login(pk).get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Kebutuhan utama" in page and "Keluarga dan Pernikahan" in page and "Sangat Tinggi" in page
    supervision.refresh_from_db()
    assert supervision.risk_level == ""  # a needs instrument does not set the risk level


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pk2", "outsider", "outsider_supervisor"])
def test_outsiders_get_404_on_every_assessment_view(login, request, draft, supervision, who):
    client = login(request.getfixturevalue(who))
    for name, arg in [("assessments:start", supervision.pk), ("assessments:edit", draft.pk), ("assessments:detail", draft.pk)]:
        assert client.get(reverse(name, args=[arg])).status_code == 404, name
    for name in ("assessments:score", "assessments:override", "assessments:correct"):
        assert client.post(reverse(name, args=[draft.pk])).status_code == 404, name


@pytest.mark.django_db
def test_anonymous_goes_to_login(client, draft):
    client.logout()  # the draft fixture signed the officer in on this client
    response = client.get(reverse("assessments:edit", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_head_reads_but_cannot_assess(login, head, draft, supervision):
    assert login(head).get(reverse("assessments:start", args=[supervision.pk])).status_code == 403
    assert login(head).get(reverse("assessments:edit", args=[draft.pk])).status_code == 403


def _queries(client, method, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302)
    return len(captured)


@pytest.mark.django_db
def test_query_budgets_of_form_and_result_pages(login, pk, draft, supervision):
    client = login(pk)
    form_queries = _queries(client, "get", reverse("assessments:edit", args=[draft.pk]))
    assert form_queries <= 10
    client.post(reverse("assessments:edit", args=[draft.pk]), form_data(RRI, answers_reaching(RRI, 9), 1, action="finalise"))
    result_queries = _queries(client, "get", reverse("assessments:detail", args=[draft.pk]))
    assert result_queries <= 11
    # More history on the client does not change either page.
    from tests.factories import ContactFactory

    ContactFactory.create_batch(20, supervision=supervision)
    for _ in range(3):
        client.post(reverse("assessments:correct", args=[draft.pk]))
    assert _queries(client, "get", reverse("assessments:detail", args=[draft.pk])) == result_queries
    newest = Assessment.objects.filter(status="draft").first()
    # A correction also names the assessment it corrects: one query more, whatever the history.
    assert _queries(client, "get", reverse("assessments:edit", args=[newest.pk])) == form_queries + 1


def discard(client, assessment, row_version):
    return client.post(reverse("assessments:discard", args=[assessment.pk]), {"row_version": row_version})


@pytest.mark.django_db
def test_a_draft_started_by_mistake_is_discarded(login, pk, draft, supervision):
    client = login(pk)
    client.post(reverse("assessments:edit", args=[draft.pk]), form_data(RRI, {"A1": "ya"}, 1))
    page = client.get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    assert f'formaction="{reverse("assessments:discard", args=[draft.pk])}"' in page and "Hapus draf asesmen ini" in page

    response = discard(client, draft, 2)

    assert response["Location"] == reverse("clients:detail", args=[supervision.client_id]) + "#asesmen"
    assert not Assessment.objects.exists()
    entry = AuditEntry.objects.get(action="assessment.discard")
    assert entry.actor == pk and entry.client_pk == supervision.client_id and entry.detail["answers"]["A1"]["option"] == "ya"
    assert "Draf asesmen dihapus." in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_final_assessment_is_never_discarded(login, pk, draft):
    client = login(pk)
    client.post(reverse("assessments:edit", args=[draft.pk]), form_data(RRI, answers_reaching(RRI, 3), 1, action="finalise"))
    draft.refresh_from_db()
    response = discard(client, draft, draft.row_version)
    assert response["Location"] == reverse("assessments:detail", args=[draft.pk])
    assert Assessment.objects.filter(pk=draft.pk, status="final").exists()
    assert not AuditEntry.objects.filter(action="assessment.discard").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("row_version", ["0", "", "x"])
def test_a_draft_saved_since_the_page_opened_is_not_discarded(login, pk, draft, row_version):
    response = discard(login(pk), draft, row_version)
    assert response["Location"] == reverse("assessments:edit", args=[draft.pk])
    assert Assessment.objects.filter(pk=draft.pk).exists() and not AuditEntry.objects.filter(action="assessment.discard").exists()


@pytest.mark.django_db
def test_readers_cannot_discard_and_other_offices_get_404(login, head, outsider, draft):
    assert discard(login(head), draft, 1).status_code == 403
    assert discard(login(outsider), draft, 1).status_code == 404
    assert Assessment.objects.filter(pk=draft.pk).exists()
