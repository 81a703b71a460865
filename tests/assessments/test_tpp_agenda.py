"""The sidang TPP's agenda: what waits for the panel in the office, and links that carry the hearing's
date and number into each decision's form."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import CasePlan, Litmas
from clients.models import Revocation
from tests.assessments.helpers import waiting

TODAY = timezone.localdate
HEARING = {"tpp_date": (TODAY() - datetime.timedelta(days=1)).isoformat(), "tpp_number": "TPP/14/XI/2026"}


@pytest.mark.django_db
def test_agenda_lists_what_waits_and_carries_the_hearing(login, pk, supervisor, outsider):
    waiting(pk.office, pk)
    waiting(outsider.office, outsider)  # another office's, not on this agenda
    response = login(supervisor).get(reverse("assessments:tpp_agenda"), HEARING)
    assert [len(response.context[key]) for key in ("plans", "litmas", "revocations")] == [1, 1, 1]
    page = response.content.decode()
    carried = re.findall(r'href="[^"]*\?tpp_date=' + HEARING["tpp_date"] + '&amp;tpp_number=TPP%2F14%2FXI%2F2026', page)
    assert len(carried) == 3  # each "Putuskan" link
    litmas = Litmas.objects.get(office=pk.office)
    form = login(supervisor).get(reverse("litmas:detail", args=[litmas.pk]), HEARING).context["decision_form"]
    assert form.initial["tpp_number"] == "TPP/14/XI/2026" and form.initial["tpp_date"].isoformat() == HEARING["tpp_date"]
    case = Revocation.objects.get(supervision__office=pk.office)
    form = login(supervisor).get(reverse("clients:revocation_detail", args=[case.pk]), HEARING).context["form"]
    assert form.initial["tpp_number"] == "TPP/14/XI/2026"
    plan = CasePlan.objects.get(supervision__office=pk.office)
    form = login(supervisor).get(reverse("assessments:plan", args=[plan.supervision_id]), HEARING).context["approve_form"]
    assert form.initial["tpp_number"] == "TPP/14/XI/2026"
    # Decided from the agenda, the Kasi goes back to it; a "next" to another site is ignored.
    agenda = reverse("assessments:tpp_agenda") + "?tpp_number=TPP%2F14%2FXI%2F2026"
    response = login(supervisor).post(reverse("litmas:decide", args=[litmas.pk]), {
        "row_version": litmas.row_version, "decision": "approve", "next": agenda, **HEARING})
    assert response["Location"] == agenda
    response = login(supervisor).post(reverse("clients:revocation_detail", args=[case.pk]), {
        "version": case.version, "recommends": "no", "notes": "", "next": "https://example.org/", **HEARING})
    assert response["Location"] == reverse("clients:revocation_detail", args=[case.pk])
    # A malformed hearing carries nothing rather than failing.
    form = login(supervisor).get(reverse("litmas:detail", args=[litmas.pk]),
                                 {"tpp_date": "kemarin", "tpp_number": "x" * 300}).context["decision_form"]
    assert form.initial["tpp_date"] == TODAY() and "tpp_number" not in form.initial


@pytest.mark.django_db
def test_agenda_is_for_the_kasi_and_the_head(login, pk, supervisor, head, admin_user):
    waiting(pk.office, pk)
    assert login(pk).get(reverse("assessments:tpp_agenda")).status_code == 403
    assert login(admin_user).get(reverse("assessments:tpp_agenda")).status_code == 403
    page = login(head).get(reverse("assessments:tpp_agenda")).content.decode()
    assert ">Putuskan</a>" not in page and Litmas.objects.get().register_number in page  # the head reads it


@pytest.mark.django_db
def test_agenda_query_count_does_not_grow(login, pk, supervisor):
    def count():
        client = login(supervisor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("assessments:tpp_agenda")).status_code == 200
        return len(captured)

    waiting(pk.office, pk)
    few = count()
    waiting(pk.office, pk, n=5)
    assert count() == few
