import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, CasePlan, InstrumentVersion
from bapas.models import AuditEntry
from tests.assessments.helpers import form_data

from .helpers import KRIM, answers_reaching


def goal_data(domain="Keluarga dan Pernikahan", days=60, goal="Memperbaiki hubungan dengan istri"):
    return {"goal-need_domain": domain, "goal-goal": goal, "goal-actions": "Mediasi keluarga 4 sesi",
            "goal-target_date": (timezone.localdate() + datetime.timedelta(days=days)).isoformat()}


def finalise_needs(login, pk, supervision, answers):
    version = InstrumentVersion.objects.get(instrument__code="KRIMINOGENIK")
    login(pk).post(reverse("assessments:start", args=[supervision.pk]), {"version": version.pk, "kind": "initial"})
    assessment = Assessment.objects.filter(status="draft").get()
    login(pk).post(reverse("assessments:edit", args=[assessment.pk]), form_data(KRIM, answers, 1, action="finalise"))


@pytest.mark.django_db
def test_plan_suggests_goals_for_the_top_needs(login, pk, supervision):
    answers = answers_reaching(KRIM, 6, domain="Keluarga dan Pernikahan")
    answers = answers_reaching(KRIM, 5, domain="Napza dan Alkohol", base=answers)
    finalise_needs(login, pk, supervision, answers)
    page = login(pk).get(reverse("assessments:plan", args=[supervision.pk])).content.decode()
    assert "Saran dari asesmen kebutuhan" in page
    assert page.index("Keluarga dan Pernikahan") < page.index("Napza dan Alkohol")
    login(pk).post(reverse("assessments:plan", args=[supervision.pk]), goal_data())
    page = login(pk).get(reverse("assessments:plan", args=[supervision.pk])).content.decode()
    suggestions = page[page.index("Saran dari asesmen"):]
    assert "Napza dan Alkohol" in suggestions and "Keluarga dan Pernikahan</span> <span" not in suggestions


@pytest.mark.django_db
def test_a_new_goal_starts_at_the_highest_need_left_and_the_next_reassessment(login, pk, supervision):
    answers = answers_reaching(KRIM, 6, domain="Keluarga dan Pernikahan")
    answers = answers_reaching(KRIM, 5, domain="Napza dan Alkohol", base=answers)
    finalise_needs(login, pk, supervision, answers)
    supervision.refresh_from_db()
    supervision.assessment_due = timezone.localdate() + datetime.timedelta(days=120)
    supervision.save(update_fields=["assessment_due"])
    url = reverse("assessments:plan", args=[supervision.pk])
    form = login(pk).get(url).context["goal_form"]
    assert form["need_domain"].value() == "Keluarga dan Pernikahan"
    assert f'value="{supervision.assessment_due.isoformat()}"' in str(form["target_date"])  # ISO, as a date input needs
    login(pk).post(url, goal_data())
    assert login(pk).get(url).context["goal_form"]["need_domain"].value() == "Napza dan Alkohol"
    assert login(pk).get(url, {"domain": "Waktu Luang"}).context["goal_form"]["need_domain"].value() == "Waktu Luang"


@pytest.mark.django_db
def test_goal_submit_and_tpp_approval(login, pk, supervisor, supervision):
    url = reverse("assessments:plan", args=[supervision.pk])
    action = reverse("assessments:plan_action", args=[supervision.pk])
    assert login(pk).post(url, goal_data()).status_code == 302
    plan = CasePlan.objects.get(supervision=supervision)
    assert plan.status == "draft" and plan.goals.count() == 1
    login(pk).post(action, {"action": "submit"})
    plan.refresh_from_db()
    assert plan.status == "submitted"
    assert login(pk).post(action, {"action": "approve", "tpp_date": timezone.localdate().isoformat(), "tpp_number": "1"}).status_code == 403
    login(supervisor).post(action, {"action": "approve", "tpp_date": timezone.localdate().isoformat(), "tpp_number": "TPP/07/2026"})
    plan.refresh_from_db()
    assert (plan.status, plan.tpp_number, plan.approved_by) == ("approved", "TPP/07/2026", supervisor)
    assert "TPP/07/2026" in login(pk).get(url).content.decode()
    # Progress on a goal keeps the approval; a new goal sends the plan back to the TPP.
    goal = plan.goals.get()
    login(pk).post(action, {"action": "goal_status", "goal": goal.pk, "status": "in_progress"})
    plan.refresh_from_db()
    goal.refresh_from_db()
    assert goal.status == "in_progress" and plan.status == "approved"
    login(pk).post(url, goal_data(domain="Waktu Luang", goal="Ikut kegiatan karang taruna"))
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.approved_by is None
    assert {"case_plan.goal_add", "case_plan.submit", "case_plan.approve", "case_plan.goal_status"} <= set(
        AuditEntry.objects.values_list("action", flat=True))


@pytest.mark.django_db
def test_goal_validation(login, pk, supervision):
    response = login(pk).post(reverse("assessments:plan", args=[supervision.pk]), goal_data(days=-3))
    assert response.status_code == 200 and "masa lalu" in response.content.decode()
    response = login(pk).post(reverse("assessments:plan", args=[supervision.pk]), goal_data(domain="Bukan Domain"))
    assert response.status_code == 200 and not CasePlan.objects.exists()


@pytest.mark.django_db
def test_empty_plan_cannot_be_submitted_and_future_tpp_date_is_refused(login, pk, supervisor, supervision):
    action = reverse("assessments:plan_action", args=[supervision.pk])
    CasePlan.objects.create(supervision=supervision)
    login(pk).post(action, {"action": "submit"})
    assert CasePlan.objects.get().status == "draft"
    login(pk).post(reverse("assessments:plan", args=[supervision.pk]), goal_data())
    login(pk).post(action, {"action": "submit"})
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    login(supervisor).post(action, {"action": "approve", "tpp_date": future, "tpp_number": "X"})
    assert CasePlan.objects.get().status == "submitted"


@pytest.mark.django_db
def test_opening_the_plan_is_a_view_of_the_clients_file(login, pk, supervisor, supervision):
    url = reverse("assessments:plan", args=[supervision.pk])
    login(pk).get(url)
    login(supervisor).get(url)
    login(pk).post(url, goal_data())  # a goal added is audited as the write it is
    views = AuditEntry.objects.filter(action="case_plan.view").order_by("id")
    assert [(entry.actor, entry.client_pk) for entry in views] == [(pk, supervision.client_id), (supervisor, supervision.client_id)]
    assert AuditEntry.objects.filter(action="case_plan.goal_add").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pk2", "outsider", "outsider_supervisor"])
def test_outsiders_get_404_on_the_plan(login, request, supervision, who):
    CasePlan.objects.create(supervision=supervision)
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("assessments:plan", args=[supervision.pk])).status_code == 404
    assert client.post(reverse("assessments:plan_action", args=[supervision.pk]), {"action": "submit"}).status_code == 404


@pytest.mark.django_db
def test_plan_page_query_count_does_not_grow_with_goals(login, pk, supervision):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(pk)
    url = reverse("assessments:plan", args=[supervision.pk])
    client.post(url, goal_data())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for index in range(8):
        client.post(url, goal_data(goal=f"Tujuan {index}"))
    assert count() == few
