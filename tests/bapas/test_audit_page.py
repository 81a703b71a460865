"""The audit page: the office admin and the head read who opened, changed or exported what; nobody
else does, and no office sees another's entries."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.audit import audit_log, registered_actions
from bapas.models import AuditEntry
from tests.factories import ContactFactory, SupervisionFactory

URL = reverse("bapas:audit")


def backdate(entry: AuditEntry, days: int) -> None:
    """Entries are append-only through the model; a test moves one back in time under the table's feet."""
    QuerySet.update(AuditEntry.objects.filter(pk=entry.pk), at=timezone.now() - datetime.timedelta(days=days))


def shown(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def table(response) -> str:
    """The listed entries alone (the filter's selects name every action too); empty when none."""
    page = shown(response)
    return page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""


@pytest.mark.django_db
def test_admin_and_head_read_the_trail_and_nobody_else(login, admin_user, head, pk, supervisor, client):
    for reader in (admin_user, head):
        assert login(reader).get(URL).status_code == 200
    for other in (pk, supervisor):
        assert login(other).get(URL).status_code == 403
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_who_opened_a_clients_file_is_shown_in_words(login, head, pk, supervision):
    login(pk).get(reverse("clients:detail", args=[supervision.client_id]))
    row = re.search(r"<tr>.*?</tr>", table(login(head).get(URL)), re.S).group(0)
    assert "Membuka berkas klien" in row and str(pk) in row and supervision.client.full_name in row
    assert "client.view" not in row


@pytest.mark.django_db
def test_another_offices_entries_are_never_shown(login, admin_user, outsider):
    foreign = SupervisionFactory(client__office=outsider.office, officer=outsider, client__full_name="Klien Kantor Lain")
    login(outsider).get(reverse("clients:detail", args=[foreign.client_id]))
    page = shown(login(admin_user).get(URL, {"client": foreign.client_id, "since": ""}))
    assert "Klien Kantor Lain" not in page and "Tidak ada catatan yang cocok" in page
    assert "Klien Kantor Lain" not in shown(login(admin_user).get(URL, {"since": ""}))


@pytest.mark.django_db
def test_one_clients_trail_gathers_views_contacts_and_supervision_changes(login, admin_user, pk, supervision):
    other = SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Lain")
    login(pk).get(reverse("clients:detail", args=[supervision.client_id]))
    login(pk).get(reverse("clients:detail", args=[other.client_id]))
    contact = ContactFactory.build(supervision=supervision)
    from clients.services import contact_log, supervision_update

    contact_log(by=pk, contact=contact)
    supervision_update(by=pk, supervision=supervision, expected_version=supervision.version)
    entries = AuditEntry.objects.filter(client_pk=supervision.client_id)
    assert set(entries.values_list("action", flat=True)) == {"client.view", "contact.create", "supervision.update"}

    response = login(admin_user).get(URL, {"client": supervision.client_id, "since": ""})
    assert f"Jejak audit — {supervision.client.full_name}" in shown(response)
    listed = table(response)
    assert "Mencatat kontak" in listed and "Mengubah pembimbingan" in listed and "Klien Lain" not in listed
    # The client page offers the trail to those who may read it, and only to them.
    detail = reverse("clients:detail", args=[supervision.client_id])
    assert f"{URL}?client={supervision.client_id}" in shown(login(admin_user).get(detail))
    assert URL not in shown(login(pk).get(detail))


@pytest.mark.django_db
def test_the_page_opens_on_the_last_thirty_days(login, admin_user, pk, supervision):
    old = audit_log(actor=pk, action="client.view", obj=supervision.client)
    backdate(old, 40)
    audit_log(actor=pk, action="client.update", obj=supervision.client)
    client = login(admin_user)
    listed = table(client.get(URL))
    assert "Mengubah data klien" in listed and "Membuka berkas klien" not in listed
    assert f'value="{(timezone.localdate() - datetime.timedelta(days=30)).isoformat()}"' in shown(client.get(URL))
    assert "Membuka berkas klien" in table(client.get(URL, {"since": ""}))  # an empty "since": everything


@pytest.mark.django_db
def test_filters_by_kind_person_action_and_dates(login, admin_user, head, pk, supervision):
    audit_log(actor=pk, action="client.view", obj=supervision.client)
    audit_log(actor=head, action="monthly_report.download", office=head.office)
    audit_log(actor=pk, action="client.update", obj=supervision.client)
    client = login(admin_user)
    views = table(client.get(URL, {"kind": "view"}))
    assert "Membuka berkas klien" in views and "Mengunduh laporan bulanan" not in views and "Mengubah data klien" not in views
    by_head = table(client.get(URL, {"actor": head.pk}))
    assert "Mengunduh laporan bulanan" in by_head and "Membuka berkas klien" not in by_head
    updates = table(client.get(URL, {"action": "client.update"}))
    assert "Mengubah data klien" in updates and "Membuka berkas klien" not in updates
    today = timezone.localdate()
    assert "Tidak ada catatan" in shown(client.get(URL, {"since": (today + datetime.timedelta(days=1)).isoformat()}))
    assert "Mengubah data klien" in table(client.get(URL, {"since": today.isoformat(), "until": today.isoformat()}))


@pytest.mark.django_db
def test_dates_out_of_order_say_so_and_show_nothing(login, admin_user, pk, supervision):
    audit_log(actor=pk, action="client.view", obj=supervision.client)
    response = login(admin_user).get(URL, {"since": "2026-11-20", "until": "2026-11-01"})
    assert "Tanggal awal harus sebelum atau sama dengan tanggal akhir" in shown(response)
    assert table(response) == ""


@pytest.mark.django_db
def test_a_day_is_the_offices_day(login, admin_user, pk, supervision, office):
    """An entry at 23:30 in Jayapura (WIT) belongs to that day there, though it is 14:30 UTC."""
    office.time_zone = "Asia/Jayapura"
    office.save()
    entry = audit_log(actor=pk, action="client.view", obj=supervision.client)
    day = datetime.date(2026, 11, 20)
    late = datetime.datetime(2026, 11, 20, 14, 30, tzinfo=datetime.UTC)
    QuerySet.update(AuditEntry.objects.filter(pk=entry.pk), at=late)
    client = login(admin_user)
    assert "Membuka berkas klien" in table(client.get(URL, {"since": day.isoformat(), "until": day.isoformat()}))
    next_day = (day + datetime.timedelta(days=1)).isoformat()
    assert table(client.get(URL, {"since": next_day, "until": next_day})) == ""


@pytest.mark.django_db
def test_the_csv_export_holds_what_is_filtered_and_is_itself_audited(login, admin_user, pk, supervision):
    audit_log(actor=pk, action="client.view", obj=supervision.client)
    audit_log(actor=pk, action="client.update", obj=supervision.client)
    response = login(admin_user).get(URL, {"kind": "view", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [row["action"] for row in rows] == ["client.view"]
    assert rows[0]["username"] == pk.username and rows[0]["action_label"] == "Membuka berkas klien"
    assert rows[0]["client_id"] == str(supervision.client_id)
    export = AuditEntry.objects.get(action="audit.export")
    assert export.actor == admin_user and export.detail["filters"]["kind"] == "view"


@pytest.mark.django_db
def test_query_count_does_not_grow_with_entries(login, admin_user, pk, supervision):
    client = login(admin_user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"client": supervision.client_id}).status_code == 200
        return len(queries)

    for _ in range(3):
        audit_log(actor=pk, action="client.view", obj=supervision.client)
    few = count()
    for _ in range(60):
        audit_log(actor=pk, action="client.view", obj=supervision.client)
    assert count() == few <= 12


@pytest.mark.django_db
def test_each_entry_knows_its_client(pk, supervision):
    client = supervision.client
    assert audit_log(actor=pk, action="client.view", obj=client).client_pk == client.pk
    assert audit_log(actor=pk, action="supervision.update", obj=supervision).client_pk == client.pk
    assert audit_log(actor=pk, action="x.y", obj=pk, detail={"client": client.pk}).client_pk == client.pk
    assert audit_log(actor=pk, action="user.update", obj=pk).client_pk is None


@pytest.mark.django_db
def test_entries_written_before_the_column_get_their_client(pk, supervision):
    import importlib

    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("bapas.migrations.0007_audit_client")
    # The models as the migration sees them (a plain manager: the app's own refuses updates).
    state = MigrationExecutor(connection).loader.project_state(("bapas", "0007_audit_client"))
    entries = [audit_log(actor=pk, action="client.view", obj=supervision.client),
               audit_log(actor=pk, action="supervision.close", obj=supervision),
               audit_log(actor=pk, action="contact.create", obj=pk, detail={"client": supervision.client_id}),
               audit_log(actor=pk, action="user.update", obj=pk)]
    QuerySet.update(AuditEntry.objects.all(), client_pk=None)
    migration.client_of_past_entries(state.apps, None)
    assert [AuditEntry.objects.get(pk=entry.pk).client_pk for entry in entries] == [supervision.client_id] * 3 + [None]


def test_every_action_the_code_writes_has_a_label():
    """A new action written without a label would show as its code on the audit page."""
    written = set()
    for app in ("bapas", "clients", "assessments", "programs", "reports"):
        for source in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            text = source.read_text()
            written |= set(re.findall(r'action="([a-z_]+\.[a-z_]*[a-z])"', text))
            # "partner." + ("create" if created else "update"), "assessment.override_" + (…)
            for stem, first, second in re.findall(r'action="([a-z_]+\.[a-z_]*)" \+ \("([a-z_]+)" if .+? else "([a-z_]+)"\)', text):
                written |= {stem + first, stem + second}
    plans = (Path(settings.BASE_DIR) / "assessments" / "plans.py").read_text()
    written |= {f"case_plan.{step}" for step in re.findall(r'_audit\(by, "case_plan\.([a-z_]+)"', plans)}
    assert {"client.view", "partner.create", "assessment.override_rejected", "case_plan.approve"} <= written
    assert written - set(registered_actions()) == set()


@pytest.mark.django_db
def test_the_page_speaks_english_to_who_chose_it(login, admin_user, pk, supervision):
    audit_log(actor=pk, action="client.view", obj=supervision.client)
    admin_user.language = "en"
    admin_user.save()
    response = login(admin_user).get(URL, {"kind": "view"})
    assert "Audit trail" in shown(response) and "Opened a client&#x27;s file" in table(response)
    body = b"".join(login(admin_user).get(URL, {"format": "csv"}).streaming_content).decode()
    assert "Opened a client's file" in body
