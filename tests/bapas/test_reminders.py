"""Reminder rules at their edges, the idempotent sweep, and the officer's "Hari ini" page."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import CasePlan
from bapas.mail import queue_digests
from bapas.models import OPEN_NOTICE, Notification, User
from bapas.reminders import Due, _insert, _insert_portably, due_for, settle, settle_for, sweep, today_by_zone
from clients.models import Contact, ContactKind, Supervision
from clients.services import contact_log
from programs.followups import schedule_after_supervision
from programs.models import FollowUp, Partner
from tests.factories import OfficeFactory, SupervisionFactory, UserFactory

TODAY = timezone.localdate


def kinds_for(user):
    return {kind: len(items) for kind, items in due_for(user).items() if items}


@pytest.mark.django_db
@pytest.mark.parametrize("offset, overdue", [(-1, True), (0, False), (1, False)])
def test_contact_overdue_only_after_the_due_day(pk, offset, overdue):
    SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() + datetime.timedelta(days=offset),
                       assessment_due=TODAY() + datetime.timedelta(days=90))
    assert ("contact_overdue" in kinds_for(pk)) is overdue


@pytest.mark.django_db
@pytest.mark.parametrize("offset, due", [(-1, True), (0, True), (1, False)])
def test_assessment_due_from_the_due_day(pk, offset, due):
    SupervisionFactory(client__office=pk.office, officer=pk, assessment_due=TODAY() + datetime.timedelta(days=offset))
    assert ("assessment_due" in kinds_for(pk)) is due


@pytest.mark.django_db
@pytest.mark.parametrize("days, ending", [(30, True), (31, False), (0, True), (-1, False)])
def test_supervision_ending_within_30_days(pk, days, ending):
    today = TODAY()
    SupervisionFactory(client__office=pk.office, officer=pk, start_date=today - datetime.timedelta(days=100),
                       end_date=today + datetime.timedelta(days=days), assessment_due=today + datetime.timedelta(days=90))
    assert ("supervision_ending" in kinds_for(pk)) is ending


@pytest.mark.django_db
def test_office_time_zone_decides_the_day_around_midnight():
    """At 23:30 WIB on the 1st it is already the 2nd in WIT: a contact due on the 1st is overdue
    for a Jayapura office but not yet for a Palembang one."""
    wib = OfficeFactory(code="WIB1", time_zone="Asia/Jakarta")
    wit = OfficeFactory(code="WIT1", time_zone="Asia/Jayapura")
    now = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    due = datetime.date(2026, 12, 1)
    assert today_by_zone(now) == {"Asia/Jakarta": due, "Asia/Makassar": datetime.date(2026, 12, 2),
                                  "Asia/Jayapura": datetime.date(2026, 12, 2)}
    officers = {}
    for office in (wib, wit):
        officer = UserFactory(office=office)
        officers[office.code] = officer
        SupervisionFactory(client__office=office, officer=officer, start_date=datetime.date(2026, 6, 1),
                           end_date=datetime.date(2027, 6, 1), next_contact_due=due, assessment_due=datetime.date(2027, 1, 1))
    assert "contact_overdue" not in kinds_for_at(officers["WIB1"], now)
    assert "contact_overdue" in kinds_for_at(officers["WIT1"], now)


def kinds_for_at(user, now):
    return {kind for kind, items in due_for(user, now).items() if items}


@pytest.mark.django_db
def test_sweep_twice_creates_nothing_new_and_catches_up(pk, supervisor):
    SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=5))
    first = sweep()
    assert first["created"] >= 1 and first["by_kind"]["contact_overdue"] == 1
    with CaptureQueriesContext(connection) as queries:
        assert sweep()["created"] == 0
    # A notice already showing is not written again (reopening would lock its row every hour).
    assert not [q for q in queries.captured_queries if "DO UPDATE" in q["sql"]]
    assert Notification.objects.filter(recipient=pk, kind="contact_overdue").count() == 1


@pytest.mark.django_db
def test_reassigned_case_notifies_the_new_officer(pk, pk2):
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=2))
    sweep()
    supervision.officer = pk2
    supervision.save()
    assert sweep()["by_kind"]["contact_overdue"] == 1
    assert Notification.objects.filter(recipient=pk2, kind="contact_overdue").exists()
    # No longer the first officer's to do: their notice is settled.
    assert Notification.objects.get(recipient=pk, kind="contact_overdue").resolved_at is not None


@pytest.mark.django_db
def test_supervisors_hear_of_plans_awaiting_the_tpp_and_admins_of_agreements(pk, supervisor, admin_user, supervision):
    CasePlan.objects.create(supervision=supervision, status="submitted")
    Partner.objects.create(office=pk.office, name="BLK", kind="blk", agreement_end=TODAY() + datetime.timedelta(days=60))
    Partner.objects.create(office=pk.office, name="BLK lama", kind="blk", agreement_end=TODAY() + datetime.timedelta(days=61))
    assert kinds_for(supervisor).get("plan_awaiting_tpp") == 1 and "plan_awaiting_tpp" not in kinds_for(pk)
    assert kinds_for(admin_user).get("agreement_expiring") == 1 and kinds_for(supervisor).get("agreement_expiring") == 1


@pytest.mark.django_db
def test_follow_ups_due_reach_the_officer(pk, supervision):
    supervision.closed_on, supervision.closure_reason = TODAY() - datetime.timedelta(days=100), "completed"
    supervision.save()
    schedule_after_supervision(supervision)  # the 3-month follow-up is due
    assert kinds_for(pk).get("follow_up_due") == 1


@pytest.mark.django_db
def test_sweep_command_prints_json_counts(pk, capsys):
    import json

    SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=1))
    call_command("sweep_reminders")
    first = json.loads(capsys.readouterr().out)
    call_command("sweep_reminders")
    second = json.loads(capsys.readouterr().out)
    assert first["created"] >= 1 and second == {"created": 0, "by_kind": {kind: 0 for kind in first["by_kind"]}, "settled": 0}


def bell(client) -> str:
    """The number on the bell, or "" when it shows none."""
    page = client.get(reverse("bapas:today")).content.decode()
    anchor = re.search(r'data-testid="bell">(.*?)</a>', page, re.S).group(1)
    return re.sub(r"<[^>]+>", "", anchor.split("</svg>", 1)[1]).strip()


@pytest.mark.django_db
def test_a_handled_notice_is_settled_and_leaves_the_bell_and_the_digest(login, pk):
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Terlambat",
                                     next_contact_due=TODAY() - datetime.timedelta(days=4))
    sweep()
    assert bell(login(pk)) == "1"
    contact_log(by=pk, contact=Contact(supervision=supervision, kind=ContactKind.HOME_VISIT, occurred_at=timezone.now(),
                                       notes="Kunjungan rumah."))
    assert sweep()["settled"] == 1
    notice = Notification.objects.get(recipient=pk, kind="contact_overdue")
    assert notice.resolved_at is not None and notice.read_at is None
    assert bell(login(pk)) == ""
    listed = login(pk).get(reverse("bapas:notifications")).content.decode()
    assert "Klien Terlambat" in listed and "sudah tertangani" in listed
    needing_attention = login(pk).get(reverse("bapas:notifications"), {"show": "open"}).content.decode()
    assert "Klien Terlambat" not in needing_attention and "Tidak ada yang perlu perhatian" in needing_attention
    pk.email = "pk@bapas.example"
    pk.save()
    assert queue_digests(offices=[pk.office_id]) == {"queued": 0}
    assert sweep()["settled"] == 0


@pytest.mark.django_db
def test_a_settled_notice_reopens_when_its_thing_is_due_again(login, pk, supervision):
    """A follow-up marked done by mistake and undone: same key, so the notice must come back."""
    supervision.closed_on, supervision.closure_reason = TODAY() - datetime.timedelta(days=100), "completed"
    supervision.save()
    schedule_after_supervision(supervision)
    follow_up = FollowUp.objects.get(supervision=supervision, done_on__isnull=True, due_date__lte=TODAY())
    assert sweep()["by_kind"]["follow_up_due"] == 1
    FollowUp.objects.filter(pk=follow_up.pk).update(done_on=TODAY())
    assert sweep()["settled"] == 1 and bell(login(pk)) == ""
    FollowUp.objects.filter(pk=follow_up.pk).update(done_on=None)
    assert sweep()["by_kind"]["follow_up_due"] == 1  # reopened
    assert Notification.objects.get(kind="follow_up_due").resolved_at is None and bell(login(pk)) == "1"
    assert sweep()["created"] == 0


@pytest.mark.django_db
def test_inserting_portably_reopens_too(pk):
    """The SQLite path of the sweep's insert, run here on PostgreSQL: new rows, then a settled one reopened."""
    day = TODAY()
    dues = [Due(pk.pk, "clients.supervision", 1, day, "t"), Due(pk.pk, "clients.supervision", 1, day, "t (again)"),
            Due(pk.pk, "clients.supervision", 2, day, "t")]
    assert _insert("contact_overdue", dues, timezone.now(), reopen=True) == 2
    Notification.objects.update(resolved_at=timezone.now())
    columns = ("recipient_id", "object_type", "object_id", "due_date", "title", "url")
    again = [(pk.pk, "clients.supervision", "1", day, "t", "")]
    assert _insert_portably("contact_overdue", columns, again, timezone.now(), reopen=False) == 0
    assert _insert_portably("contact_overdue", columns, again, timezone.now(), reopen=True) == 1
    assert list(Notification.objects.filter(resolved_at__isnull=True).values_list("object_id", flat=True)) == ["1"]


@pytest.mark.django_db
def test_notices_of_a_date_window_and_read_notices_stay_as_they_are(pk):
    today = TODAY()
    ending = SupervisionFactory(client__office=pk.office, officer=pk, end_date=today + datetime.timedelta(days=10),
                                start_date=today - datetime.timedelta(days=200), assessment_due=today + datetime.timedelta(days=90))
    overdue = SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=today - datetime.timedelta(days=2))
    sweep()
    Notification.objects.filter(kind="contact_overdue").update(read_at=timezone.now())
    # The supervision ends and the contact is rescheduled: neither rule reports them any more.
    Supervision.objects.filter(pk=ending.pk).update(closed_on=today, closure_reason="completed")
    Supervision.objects.filter(pk=overdue.pk).update(next_contact_due=today + datetime.timedelta(days=7))
    assert sweep()["settled"] == 0
    assert not Notification.objects.filter(resolved_at__isnull=False).exists()
    assert Notification.objects.get(kind="supervision_ending").read_at is None


@pytest.mark.django_db
def test_settling_compares_the_whole_key_and_leaves_read_notices_and_other_rules_alone(pk, pk2):
    def notice(recipient, object_id, due, **extra):
        return Notification.objects.create(recipient=recipient, kind="contact_overdue", object_type="clients.supervision",
                                           object_id=str(object_id), due_date=due, title="t", **extra)

    day = TODAY()
    still_due = {notice(pk, 1, day).pk, notice(pk2, 2, day).pk}
    # Handled: an older due date of the same case, a case no longer reported, the same case now someone else's.
    handled = {notice(pk, 1, day - datetime.timedelta(days=7)).pk, notice(pk, 3, day).pk, notice(pk2, 1, day).pk}
    notice(pk, 4, day, read_at=timezone.now())
    Notification.objects.create(recipient=pk, kind="assessment_due", object_type="clients.supervision", object_id="5",
                                due_date=day, title="t")
    dues = [Due(pk.pk, "clients.supervision", 1, day, "t"), Due(pk2.pk, "clients.supervision", 2, day, "t"),
            Due(pk.pk, "clients.supervision", 9, day, "t")]

    def settled():
        return set(Notification.objects.filter(resolved_at__isnull=False).values_list("pk", flat=True))

    count, still_open = settle("contact_overdue", dues, timezone.now())
    assert count == 3 and settled() == handled
    assert still_open == {(pk.pk, "clients.supervision", "1", day), (pk2.pk, "clients.supervision", "2", day)}
    assert settle("contact_overdue", dues, timezone.now()) == (0, still_open)
    assert settle("contact_overdue", [], timezone.now())[0] == 2 and settled() == handled | still_due


@pytest.mark.django_db
def test_sweep_query_count_does_not_grow_with_the_data(pk, pk2, supervisor):
    def build(n):
        for index in range(n):
            supervision = SupervisionFactory(client__office=pk.office, officer=pk if index % 2 else pk2,
                                             next_contact_due=TODAY() - datetime.timedelta(days=3))
            CasePlan.objects.create(supervision=supervision, status="submitted")

    def count():
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            sweep()
        return len(queries)

    build(3)
    few = count()
    build(30)
    assert count() == few


@pytest.mark.django_db
def test_today_page_bell_and_notifications(login, pk, outsider):
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Terlambat",
                       next_contact_due=TODAY() - datetime.timedelta(days=4))
    page = login(pk).get(reverse("bapas:today")).content.decode()
    assert "Klien Terlambat" in page and "Kontak terlambat" in page
    assert "Semua tertangani" in login(outsider).get(reverse("bapas:today")).content.decode()
    sweep()
    page = login(pk).get(reverse("clients:list")).content.decode()
    assert 'data-testid="bell"' in page and "rounded-pill" in page
    notifications = login(pk).get(reverse("bapas:notifications")).content.decode()
    assert "Klien Terlambat" in notifications
    assert "Klien Terlambat" in login(pk).get(reverse("bapas:notifications"), {"show": "open"}).content.decode()
    assert "Klien Terlambat" not in login(outsider).get(reverse("bapas:notifications")).content.decode()
    login(pk).post(reverse("bapas:notifications"))
    assert not Notification.objects.filter(recipient=pk, read_at__isnull=True).exists()


def today_items(client) -> list[tuple[str, str]]:
    """Each item on "Hari ini": its text and the link of its action button ("" when it has none)."""
    page = client.get(reverse("bapas:today")).content.decode()
    items = re.findall(r'data-testid="today-item">(.*?)</li>', page, re.S)
    return [(re.search(r"<span>(?:<a [^>]*>)?(.*?)(?:</a>)?</span>", item).group(1),
             (re.findall(r'href="([^"]*)" data-testid="today-action"', item) or [""])[0]) for item in items]


@pytest.mark.django_db
def test_today_lists_what_waited_longest_first_and_logs_a_contact_in_one_step(login, pk):
    today = TODAY()
    for name, days in (("Klien Empat", 4), ("Klien Sembilan", 9), ("Klien Satu", 1)):
        SupervisionFactory(client__office=pk.office, officer=pk, client__full_name=name,
                           next_contact_due=today - datetime.timedelta(days=days))
    late = SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Asesmen",
                              assessment_due=today - datetime.timedelta(days=3), next_contact_due=today + datetime.timedelta(days=9))
    client = login(pk)
    items = today_items(client)
    contacts = [(text, url) for text, url in items if text.startswith("Kontak terlambat")]
    assert [text.rsplit(": ", 1)[1] for text, _url in contacts] == ["Klien Sembilan", "Klien Empat", "Klien Satu"]
    assessment = next(url for text, url in items if "Klien Asesmen" in text and text.startswith("Asesmen"))
    assert assessment == reverse("assessments:start", args=[late.pk]) + "?next=%2Fhari-ini%2F"
    # The button opens the contact form; saving comes back to "Hari ini", where the client is gone.
    form_url = contacts[0][1]
    supervision = Supervision.objects.get(client__full_name="Klien Sembilan")
    assert form_url == reverse("clients:contact_create", args=[supervision.pk]) + "?next=%2Fhari-ini%2F"
    form = client.get(form_url).content.decode()
    assert 'href="/hari-ini/">Batal' in form
    at = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(form_url, {"kind": "home_visit", "occurred_at": at, "attended": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("bapas:today")
    page = response.content.decode()
    assert "Kontak dicatat." in page and "Klien Sembilan" not in page and "Klien Empat" in page


@pytest.mark.django_db
def test_a_long_list_on_today_shows_fifty_and_links_to_the_rest(login, pk):
    SupervisionFactory.create_batch(55, client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=2))
    client = login(pk)
    page = client.get(reverse("bapas:today")).content.decode()
    assert page.count('data-testid="today-item"') == 50 and 'href="?lengkap=contact_overdue#contact_overdue"' in page
    assert ">55</span>" in page  # the badge counts them all
    whole = client.get(reverse("bapas:today"), {"lengkap": "contact_overdue"}).content.decode()
    assert whole.count('data-testid="today-item"') == 55 and 'data-testid="today-all"' not in whole


@pytest.mark.django_db
def test_a_next_to_another_site_is_ignored(login, pk, supervision):
    at = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("clients:contact_create", args=[supervision.pk]) + "?next=https://elsewhere.example/"
    assert 'href="https://elsewhere' not in login(pk).get(url).content.decode()
    response = login(pk).post(url, {"kind": "home_visit", "occurred_at": at, "attended": "on"})
    assert response["Location"] == reverse("clients:detail", args=[supervision.client_id]) + "#riwayat"


@pytest.mark.django_db
def test_today_page_query_count_does_not_grow(login, pk):
    client = login(pk)
    SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=1))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("bapas:today")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(20):
        SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=1))
    assert count() == few


@pytest.mark.django_db
@pytest.mark.parametrize("days_ago, override, notified", [(0, "", True), (6, "", True), (7, "", False), (-1, "", False),
                                                          (0, "akhir", False)])
def test_stage_change_is_announced_for_a_week(pk, days_ago, override, notified):
    today = TODAY()
    SupervisionFactory(client__office=pk.office, officer=pk, start_date=today - datetime.timedelta(days=60),
                       middle_stage_from=today - datetime.timedelta(days=days_ago), final_stage_from=today + datetime.timedelta(days=100),
                       stage_override=override, assessment_due=today + datetime.timedelta(days=90))
    assert ("stage_change" in kinds_for(pk)) is notified


@pytest.mark.django_db
def test_an_officers_write_settles_their_handled_notice_before_the_next_page(login, pk, supervisor):
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=4))
    other = SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=2))
    sweep()
    client = login(pk)
    assert bell(client) == "2"
    at = timezone.localtime() - datetime.timedelta(hours=1)
    response = client.post(reverse("clients:contact_create", args=[supervision.pk]),
                           {"kind": "home_visit", "occurred_at": at.strftime("%Y-%m-%dT%H:%M"), "attended": "on"})
    assert response.status_code == 302
    # No sweep in between: the contact's own request settled its notice, and only that one.
    assert bell(client) == "1"
    open_notice = Notification.objects.get(kind="contact_overdue", resolved_at__isnull=True)
    assert open_notice.object_id == str(other.pk)
    assert sweep()["settled"] == 0


@pytest.mark.django_db
def test_a_form_with_errors_settles_nothing_and_a_failure_to_settle_loses_no_write(login, pk, monkeypatch):
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=4))
    sweep()
    # Handled another way (the sweep would settle it): only a write that went through settles at once.
    Supervision.objects.filter(pk=supervision.pk).update(next_contact_due=TODAY() + datetime.timedelta(days=3))
    client = login(pk)
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    invalid = client.post(reverse("clients:contact_create", args=[supervision.pk]), {"kind": "home_visit", "occurred_at": future})
    assert invalid.status_code == 200 and bell(client) == "1"

    def broken(user):
        raise DatabaseError("lost the connection")

    monkeypatch.setattr("bapas.middleware.settle_for", broken)
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("clients:contact_create", args=[supervision.pk]), {"kind": "home_visit", "occurred_at": past})
    assert response.status_code == 302 and Contact.objects.filter(supervision=supervision).count() == 1
    assert bell(client) == "1" and sweep()["settled"] == 1


@pytest.mark.django_db
def test_settling_for_one_person_asks_only_the_rules_they_have_open_notices_of(pk, pk2):
    SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=4))
    sweep()

    def statements(user):
        with CaptureQueriesContext(connection) as captured:
            assert settle_for(user) == 0
        return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]

    assert len(statements(pk2)) == 1  # which kinds they have open: none
    # The open kinds, the one rule (contact_overdue: one query), that kind's open notices; nothing to update.
    assert len(statements(pk)) == 3


@pytest.mark.django_db
def test_settling_for_each_person_agrees_with_the_sweep():
    """Right after a sweep every open notice is still due, so settling for anyone settles nothing: what the
    rules report for one person is what the sweep reports to them. A rule whose answer for one person
    left something out would settle that person's notice while the thing is still due."""
    from reports.dataset import generate

    generate(scale=0.02, seed=3, progress=lambda line: None)
    # Some cases covered by a colleague: their reminders reach both PKs.
    first, second = User.objects.filter(username__startswith="g001.pk").order_by("pk")[:2]
    covered = Supervision.objects.filter(officer=first, closed_on__isnull=True).values_list("pk", flat=True)[:10]
    Supervision.objects.filter(pk__in=list(covered)).update(delegate=second, delegated_until=TODAY() + datetime.timedelta(days=5))
    assert sweep()["created"] > 50
    recipients = set(Notification.objects.filter(resolved_at__isnull=True).values_list("recipient", flat=True))
    users = User.objects.filter(pk__in=recipients).select_related("office")
    assert {user.role for user in users} >= {"pk", "supervisor"}
    assert [settle_for(user) for user in users] == [0] * len(users)


@pytest.mark.django_db
def test_opening_a_notice_marks_it_read_and_goes_to_its_thing(login, pk, pk2):
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=4))
    SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=TODAY() - datetime.timedelta(days=3))
    sweep()
    client = login(pk)
    assert bell(client) == "2"
    notice = Notification.objects.get(object_id=str(supervision.pk))
    assert reverse("bapas:notification_open", args=[notice.pk]) in client.get(reverse("bapas:notifications")).content.decode()
    assert login(pk2).get(reverse("bapas:notification_open", args=[notice.pk])).status_code == 404  # not theirs
    response = login(pk).get(reverse("bapas:notification_open", args=[notice.pk]))
    assert response["Location"] == reverse("clients:detail", args=[supervision.client_id])
    notice.refresh_from_db()
    assert notice.read_at is not None and bell(client) == "1"
    read_at = notice.read_at
    login(pk).get(reverse("bapas:notification_open", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.read_at == read_at  # the first reading stays


@pytest.mark.django_db
def test_a_delegated_case_reaches_the_covering_pk_while_the_delegation_runs(login, pk, pk2):
    today = TODAY()
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Titipan",
                                     next_contact_due=today - datetime.timedelta(days=3), assessment_due=today - datetime.timedelta(days=1),
                                     delegate=pk2, delegated_until=today + datetime.timedelta(days=10))
    covering = kinds_for(pk2)
    assert covering.get("contact_overdue") == 1 and covering.get("assessment_due") == 1
    assert kinds_for(pk).get("contact_overdue") == 1  # the absent PK still sees it when back
    assert "Klien Titipan" in login(pk2).get(reverse("bapas:today")).content.decode()
    sweep()
    assert set(Notification.objects.filter(kind="contact_overdue").values_list("recipient", flat=True)) == {pk.pk, pk2.pk}
    # The delegation ends: the covering PK's list and bell no longer carry the case; the PK's do.
    Supervision.objects.filter(pk=supervision.pk).update(delegated_until=today - datetime.timedelta(days=1))
    assert "contact_overdue" not in kinds_for(pk2) and kinds_for(pk).get("contact_overdue") == 1
    sweep()
    assert not Notification.objects.filter(OPEN_NOTICE, recipient=pk2).exists()
    assert Notification.objects.filter(OPEN_NOTICE, recipient=pk, kind="contact_overdue").exists()


@pytest.mark.django_db
def test_a_delegated_case_s_follow_up_reaches_the_covering_pk(pk, pk2):
    today = TODAY()
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, delegate=pk2,
                                     delegated_until=today + datetime.timedelta(days=10))
    supervision.closed_on, supervision.closure_reason = today - datetime.timedelta(days=100), "completed"
    supervision.save()
    schedule_after_supervision(supervision)
    assert kinds_for(pk2).get("follow_up_due") == kinds_for(pk).get("follow_up_due") == 1
