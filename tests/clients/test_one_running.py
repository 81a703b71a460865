"""A client has one supervision running at a time: a new one opens after the running one is closed.
The page says so before the form is filled in, the service refuses, and the database is the backstop."""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from clients.models import Supervision
from clients.services import supervision_close, supervision_open
from tests.factories import SupervisionFactory


def create_url(supervision) -> str:
    return reverse("clients:supervision_create", args=[supervision.client_id])


def new_supervision_data(form, officer) -> dict:
    today = timezone.localdate()
    return {
        "legal_basis": "PWS", "decree_number": "12/Pid.B/2026/PN Plg", "decree_date": today.isoformat(),
        "decree_issuer": "PN Palembang", "offence_article": "Pasal 362", "sentence": "1 tahun",
        "offence_category": form.fields["offence_category"].queryset.first().pk, "start_date": today.isoformat(),
        "end_date": (today + datetime.timedelta(days=365)).isoformat(), "reporting_interval_days": 14, "officer": officer.pk,
    }


@pytest.mark.django_db
def test_a_new_supervision_opens_after_the_running_one_is_closed(login, pk, supervisor, supervision):
    supervision_close(by=supervisor, supervision=supervision, closed_on=timezone.localdate(), reason="completed")
    client = login(pk)
    page = client.get(create_url(supervision))
    assert b'id="running-supervision"' not in page.content
    response = client.post(create_url(supervision), new_supervision_data(page.context["form"], pk))
    assert response.status_code == 302
    new = Supervision.objects.get(legal_basis="PWS")
    today = timezone.localdate()
    assert new.closed_on is None and new.contact_interval_days == 14 and new.next_contact_due == today + datetime.timedelta(days=14)
    assert AuditEntry.objects.filter(action="supervision.create", object_id=str(new.pk)).exists()


@pytest.mark.django_db
def test_the_page_says_a_supervision_runs_before_the_form_is_filled(login, pk, supervisor, supervision):
    page = login(pk).get(create_url(supervision)).content.decode()
    assert 'id="running-supervision"' in page and "<form method=\"post\" enctype" not in page
    assert f"pembimbingan {supervision.legal_basis} yang berjalan sejak {supervision.start_date:%d-%m-%Y}" in page
    close_url = reverse("clients:supervision_close", args=[supervision.pk])
    assert close_url not in page  # a PK asks the Kasi, who closes supervisions
    assert close_url in login(supervisor).get(create_url(supervision)).content.decode()


@pytest.mark.django_db
def test_a_second_running_supervision_is_refused_and_nothing_is_kept(login, pk, supervision):
    client = login(pk)
    form = client.get(create_url(supervision)).context["form"]  # a page opened before the first supervision, say
    response = client.post(create_url(supervision), new_supervision_data(form, pk))
    assert response.status_code == 200
    assert "Satu klien hanya punya satu pembimbingan yang berjalan" in response.content.decode()
    assert list(Supervision.objects.values_list("pk", flat=True)) == [supervision.pk]
    assert not AuditEntry.objects.filter(action="supervision.create").exists()


@pytest.mark.django_db
def test_the_service_refuses_whoever_calls_it(pk, supervision):
    from django.core.exceptions import ValidationError

    second = SupervisionFactory.build(client=supervision.client, office=supervision.office, officer=pk,
                                      offence_category=supervision.offence_category)
    with pytest.raises(ValidationError, match="satu pembimbingan yang berjalan"):
        supervision_open(by=pk, supervision=second)
    assert Supervision.objects.filter(client=supervision.client).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_running_supervision(pk, supervision):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionFactory(client=supervision.client, office=supervision.office, officer=pk)
    # A closed one beside it is history, and allowed.
    SupervisionFactory(client=supervision.client, office=supervision.office, officer=pk,
                       closed_on=timezone.localdate(), closure_reason="completed")


@pytest.mark.django_db
def test_the_migration_names_the_clients_to_mend_first(pk, supervision):
    """Offices that already hold two running supervisions of one client are told which, and nothing is
    guessed for them. DDL is transactional in PostgreSQL, so the dropped constraint comes back with the test's rollback."""
    from importlib import import_module

    constraint = next(c for c in Supervision._meta.constraints if c.name == "supervision_one_running_per_client")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Supervision, constraint)
    SupervisionFactory(client=supervision.client, office=supervision.office, officer=pk)
    check = import_module("clients.migrations.0015_supervision_one_running_per_client").refuse_clients_with_two_running
    with pytest.raises(RuntimeError, match=f"{supervision.office.name}: {supervision.client.register_number} \\(2\\)"):
        check(apps, None)
    Supervision.objects.filter(pk=supervision.pk).update(closed_on=timezone.localdate(), closure_reason="completed")
    check(apps, None)  # mended: no error
