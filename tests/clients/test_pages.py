"""The caseload list and the client page: content, search and filters, audit of views, and
query counts that do not grow with the number of rows."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from clients.models import Contact
from tests.factories import ContactFactory, RecidivismEventFactory, SupervisionFactory, ViolationFactory


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_caseload_query_count_does_not_grow_with_rows(login, pk):
    client = login(pk)
    SupervisionFactory.create_batch(2, client__office=pk.office, officer=pk)
    few = count_queries(client, reverse("clients:list"))
    SupervisionFactory.create_batch(30, client__office=pk.office, officer=pk)
    many = count_queries(client, reverse("clients:list"))
    assert few == many
    assert many <= 11  # session, user, office, unread bell, count, rows, session save (+ savepoints)


@pytest.mark.django_db
def test_office_caseload_query_count_does_not_grow_with_rows(login, supervisor, pk):
    client = login(supervisor)
    SupervisionFactory.create_batch(2, client__office=pk.office, officer=pk)
    few = count_queries(client, reverse("clients:list") + "?stage=awal&q=Klien")
    SupervisionFactory.create_batch(30, client__office=pk.office, officer=pk)
    many = count_queries(client, reverse("clients:list") + "?stage=awal&q=Klien")
    assert few == many


@pytest.mark.django_db
def test_client_page_query_count_does_not_grow_with_history(login, pk, supervision):
    client = login(pk)
    url = reverse("clients:detail", args=[supervision.client_id])
    ContactFactory(supervision=supervision)
    ViolationFactory(supervision=supervision)
    RecidivismEventFactory(client=supervision.client, supervision=supervision, recorded_by=pk)
    few = count_queries(client, url)
    ContactFactory.create_batch(40, supervision=supervision)
    ViolationFactory.create_batch(10, supervision=supervision)
    RecidivismEventFactory.create_batch(10, client=supervision.client, supervision=supervision)
    RecidivismEventFactory(client=supervision.client)
    SupervisionFactory(client=supervision.client, officer=pk, closed_on=timezone.localdate(), closure_reason="completed")
    many = count_queries(client, url)
    assert few == many
    # bell, identity, supervisions, contacts, violations, recidivism, documents, assessments, programmes (+dosage, needs, matches)
    assert many <= 22


@pytest.mark.django_db
def test_caseload_shows_the_row_facts(login, pk):
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Dodi Saputra", legal_basis="CB")
    page = login(pk).get(reverse("clients:list")).content.decode()
    assert "Dodi Saputra" in page and "CB" in page and "Tahap awal" in page
    assert supervision.next_contact_due.strftime("%d-%m-%Y") in page


@pytest.mark.django_db
def test_caseload_search_and_filters(login, pk):
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Budi Santoso", legal_basis="PB")
    SupervisionFactory(
        client__office=pk.office, officer=pk, client__full_name="Joko Widodo", legal_basis="PWS",
        next_contact_due=timezone.localdate() - datetime.timedelta(days=3),
    )
    client = login(pk)
    url = reverse("clients:list")
    page = client.get(url, {"q": "budi"}).content.decode()
    assert "Budi Santoso" in page and "Joko Widodo" not in page
    page = client.get(url, {"legal_basis": "PWS"}).content.decode()
    assert "Joko Widodo" in page and "Budi Santoso" not in page
    page = client.get(url, {"overdue": "true"}).content.decode()
    assert "Joko Widodo" in page and "Budi Santoso" not in page
    page = client.get(url, {"q": "tidak ada"}).content.decode()
    assert "Tidak ada klien yang cocok" in page


@pytest.mark.django_db
def test_drill_down_filters_stay_while_searching_and_can_be_taken_off(login, supervisor, pk):
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Budi Tinggi", risk_level="Tinggi")
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Bima Baru", risk_level="")
    client = login(supervisor)
    url = reverse("clients:list")
    page = client.get(url, {"officer": pk.pk, "risk": "Tinggi", "no_approved_plan": "true"}).content.decode()
    assert "Budi Tinggi" in page and "Bima Baru" not in page
    # Kept in the form as hidden fields, so the htmx search sends them too; shown as chips to take off.
    assert '<input type="hidden" name="risk" value="Tinggi">' in page
    assert '<input type="hidden" name="no_approved_plan" value="true">' in page
    chips = re.findall(r'href="([^"]+)"[^>]*data-testid="drill-down-remove"', page)
    assert sorted(html.unescape(chip) for chip in chips) == [
        f"?officer={pk.pk}&no_approved_plan=true", f"?officer={pk.pk}&risk=Tinggi"]
    page = client.get(url, {"unassessed": "true"}).content.decode()
    assert "Bima Baru" in page and "Budi Tinggi" not in page and "Belum diasesmen" in page
    assert 'data-testid="drill-downs"' not in client.get(url, {"q": "Bima"}).content.decode()
    # A PK's own list takes the same filters.
    page = login(pk).get(url, {"unassessed": "false"}).content.decode()
    assert "Budi Tinggi" in page and "Bima Baru" not in page and "Belum diasesmen: tidak" in page


@pytest.mark.django_db
def test_stage_filter_follows_dates_and_tpp_override(login, pk):
    today = timezone.localdate()
    SupervisionFactory(
        client__office=pk.office, officer=pk, client__full_name="Tahap Akhir Tanggal",
        start_date=today - datetime.timedelta(days=300), end_date=today + datetime.timedelta(days=30),
        middle_stage_from=today - datetime.timedelta(days=200), final_stage_from=today - datetime.timedelta(days=90),
    )
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Tahap Akhir TPP", stage_override="akhir")
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Masih Awal")
    page = login(pk).get(reverse("clients:list"), {"stage": "akhir"}).content.decode()
    assert "Tahap Akhir Tanggal" in page and "Tahap Akhir TPP" in page and "Masih Awal" not in page


@pytest.mark.django_db
def test_caseload_paginates(login, pk):
    SupervisionFactory.create_batch(30, client__office=pk.office, officer=pk)
    client = login(pk)
    first = client.get(reverse("clients:list"))
    assert len(first.context["page"].object_list) == 25
    assert "Halaman 1 dari 2" in first.content.decode()
    assert len(client.get(reverse("clients:list"), {"page": 2}).context["page"].object_list) == 5


@pytest.mark.django_db
def test_a_long_caseload_has_first_and_last_page_links_that_keep_the_filter(login, pk):
    SupervisionFactory.create_batch(80, client__office=pk.office, officer=pk, legal_basis="PB")  # 4 pages
    client = login(pk)

    def links(page):
        html = client.get(reverse("clients:list"), {"legal_basis": "PB", "page": page}).content.decode()
        return {name: (re.findall(rf'href="([^"]*)" data-testid="page-{name}"', html) or [None])[0] for name in ("first", "last")}

    assert links(1) == {"first": None, "last": "?legal_basis=PB&page=4"}
    assert links(2) == {"first": None, "last": "?legal_basis=PB&page=4"}  # the previous page is the first
    assert links(3) == {"first": "?legal_basis=PB&page=1", "last": None}
    assert links(4)["first"] == "?legal_basis=PB&page=1" and links(4)["last"] is None


@pytest.mark.django_db
def test_htmx_request_gets_only_the_table(login, pk, supervision):
    response = login(pk).get(reverse("clients:list"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert supervision.client.full_name in page and "<html" not in page


@pytest.mark.django_db
def test_empty_caseload_says_so(login, pk):
    assert "Belum ada klien dalam daftar ini" in login(pk).get(reverse("clients:list")).content.decode()


@pytest.mark.django_db
def test_client_page_shows_history_newest_first_and_is_audited(login, pk, supervision):
    now = timezone.now()
    ContactFactory(supervision=supervision, notes="Catatan lama", occurred_at=now - datetime.timedelta(days=20))
    ContactFactory(supervision=supervision, notes="Catatan baru", occurred_at=now - datetime.timedelta(days=1))
    page = login(pk).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    assert page.index("Catatan baru") < page.index("Catatan lama")
    entry = AuditEntry.objects.get(action="client.view")
    assert entry.actor == pk and entry.object_id == str(supervision.client_id) and entry.ip == "127.0.0.1"


@pytest.mark.django_db
@pytest.mark.parametrize("who, masked", [("pk", False), ("supervisor", False), ("head", True), ("admin_user", True)])
def test_nik_is_masked_for_roles_that_do_not_need_it(login, request, supervision, who, masked):
    nik = supervision.client.nik
    page = login(request.getfixturevalue(who)).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    assert (nik in page) is not masked
    assert (supervision.client.masked_nik in page) is masked


@pytest.mark.django_db
def test_contacts_on_the_client_page_paginate(login, pk, supervision):
    ContactFactory.create_batch(25, supervision=supervision)
    response = login(pk).get(reverse("clients:detail", args=[supervision.client_id]), {"kontak": 2})
    assert response.content.decode().count('data-testid="contact-entry"') == 5
    assert Contact.objects.count() == 25


@pytest.mark.django_db
@pytest.mark.parametrize("days, overdue", [(-1, True), (0, False), (5, False)])
def test_client_page_marks_an_overdue_contact_and_assessment(login, pk, days, overdue):
    day = timezone.localdate() + datetime.timedelta(days=days)
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=day, assessment_due=day)
    page = login(pk).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    assert ('data-testid="contact-overdue"' in page) is overdue and ('data-testid="assessment-overdue"' in page) is overdue
    assert day.strftime("%d-%m-%Y") in page


@pytest.mark.django_db
def test_buku_klaper_lists_by_letter_and_strikes_closed_clients(login, pk, pk2, supervisor, outsider):
    from tests.factories import SupervisionFactory

    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Budi Santoso")
    closed = SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="bambang Sutrisno")
    closed.closed_on, closed.closure_reason = closed.start_date, "completed"
    closed.save()
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Andi Wijaya")
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="'Ain Nur")
    SupervisionFactory(client__office=outsider.office, officer=outsider, client__full_name="Bonar Lain")
    response = login(supervisor).get(reverse("clients:index"), {"huruf": "B"})
    names = [c.full_name for c in response.context["page"].object_list]
    assert names == ["bambang Sutrisno", "Budi Santoso"]  # another office's client is not in this book
    page = response.content.decode()
    assert '<s data-testid="struck">bambang Sutrisno</s>' in page and "Budi Santoso</a>" in page
    letters = dict(response.context["letters"])
    assert (letters["A"], letters["B"], letters["#"], letters["Z"]) == (1, 2, 1, 0)
    assert [c.full_name
            for c in login(supervisor).get(reverse("clients:index"), {"huruf": "#"}).context["page"].object_list] == ["'Ain Nur"]
    # With no letter chosen (or a wrong one) the book opens at the first letter that has names.
    assert login(supervisor).get(reverse("clients:index"), {"huruf": "xx"}).context["chosen"] == "A"
    # Each sees the book of what they may see: the other office its own client only, a colleague PK nothing.
    other = login(outsider).get(reverse("clients:index"), {"huruf": "B"}).content.decode()
    assert "Bonar Lain" in other and "Budi Santoso" not in other
    assert list(login(pk2).get(reverse("clients:index"), {"huruf": "B"}).context["page"].object_list) == []


@pytest.mark.django_db
def test_buku_klaper_query_count_does_not_grow(login, pk, supervisor):
    from tests.factories import SupervisionFactory

    def count():
        client = login(supervisor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("clients:index"), {"huruf": "B"}).status_code == 200
        return len(captured)

    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Budi")
    few = count()
    for i in range(20):
        SupervisionFactory(client__office=pk.office, officer=pk, client__full_name=f"Bagus {i}")
    assert count() == few


@pytest.mark.django_db
def test_the_filters_keep_what_was_chosen(login, supervisor, pk, supervision):
    url = reverse("clients:list") + f"?legal_basis=PB&stage=awal&officer={pk.pk}"
    page = login(supervisor).get(url).content.decode()
    assert '<option value="PB" selected>PB</option>' in page  # the basis by its code, the list's short form
    assert '<option value="awal" selected>Tahap awal</option>' in page and '<option value="akhir">Tahap akhir</option>' in page
    assert f'<option value="{pk.pk}" selected>' in page
    assert page.count('<option value="">Semua</option>') == 4


@pytest.mark.django_db
def test_a_filter_select_reads_a_model_fields_options_in_one_query(pk, pk2):
    """Looping over field.choices would COUNT the rows first (the benchmark caught one query more on the Litmas register)."""
    from django import forms
    from django.template import Context, Template

    from bapas.models import User

    class OfficerForm(forms.Form):
        officer = forms.ModelChoiceField(queryset=User.objects.filter(office=pk.office).order_by("pk"))

    form = OfficerForm({"officer": pk2.pk})
    assert form.is_valid()  # as the filter's form is, before its page draws it
    template = Template('{% load lists %}{% filter_select field _("Semua") %}')
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"field": form["officer"]}))
    assert len(queries) == 1
    assert html.startswith('<select class="form-select" name="officer" id="id_officer"><option value="">Semua</option>')
    assert f'<option value="{pk2.pk}" selected>' in html and f'<option value="{pk.pk}">' in html
