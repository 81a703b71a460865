"""The monthly report's layout is office data (STYLE.md: report layouts are data, versioned): the
admin picks the sections, their order and titles; each save is a new version; a report made after
it follows it and records which version it used."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bapas.models import AuditEntry, Role
from reports import monthly
from reports.layouts import current_layout
from reports.models import MonthlyReport, ReportLayout
from reports.services import generate
from tests.factories import UserFactory

MONTH = datetime.date(2026, 10, 1)
URL = reverse("reports:layout_settings")


def layout_post(layout, **changes):
    """The page's form as it stands for `layout`, with `changes` (name → value; None unticks)."""
    data = {"expected_number": layout.number}
    for number, entry in enumerate(layout.sections, 1):
        data.update({f"include|{entry['key']}": "1", f"order|{entry['key']}": number, f"title|{entry['key']}": entry["title"]})
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def sheet_titles(report):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(report.xlsx.open("rb").read()), read_only=True)
    return [(sheet.title, next(sheet.iter_rows(max_row=1, values_only=True))[0]) for sheet in workbook.worksheets]


@pytest.mark.django_db
def test_the_admin_hides_orders_and_renames_sections_and_the_next_report_follows(login, admin_user, head):
    page = login(admin_user).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="checkbox"') == len(monthly.SECTIONS) and html.count("checked") == len(monthly.SECTIONS)
    assert 'placeholder="Beban kerja per PK"' in html
    shipped = current_layout(admin_user.office_id)
    assert shipped.number == 1 and [entry["key"] for entry in shipped.sections] == list(monthly.SECTIONS)

    response = login(admin_user).post(URL, layout_post(shipped, **{
        "include|kerja_sosial": None, "order|petugas": "1", "order|ringkasan": "2",
        "title|ringkasan": "  Ikhtisar   klien ", "title|petugas": "Beban kerja petugas"}))
    assert response.status_code == 302
    layout = current_layout(admin_user.office_id)
    assert layout.number == 2 and layout.created_by == admin_user
    keys = [entry["key"] for entry in layout.sections]
    # Petugas numbered 1, ringkasan 2, which pengakhiran keeps too: a tie goes in the shipped order.
    assert keys[:3] == ["petugas", "ringkasan", "pengakhiran"]
    assert "kerja_sosial" not in keys and len(keys) == len(monthly.SECTIONS) - 1
    assert layout.sections[keys.index("ringkasan")]["title"] == "Ikhtisar klien"
    assert AuditEntry.objects.filter(action="report_layout.publish", object_id=str(layout.pk)).count() == 1

    report = generate(report=MonthlyReport.objects.create(office=head.office, month=MONTH), by=head)
    assert report.layout == layout
    titles = sheet_titles(report)
    assert [title for _sheet, title in titles] == [entry["title"] or str(monthly.SECTIONS[entry["key"]].title) for entry in layout.sections]
    assert "Ikhtisar klien" in [title for _sheet, title in titles] and "Pidana kerja sosial" not in [t for _s, t in titles]
    detail = login(head).get(reverse("reports:monthly_detail", args=[report.pk])).content.decode()
    assert "susunan versi 2" in detail


@pytest.mark.django_db
def test_the_order_numbers_set_the_order(admin_user):
    from reports.layouts import layout_publish

    shipped = current_layout(admin_user.office_id)
    layout = layout_publish(by=admin_user, office_id=admin_user.office_id, expected_number=shipped.number,
                            sections=[{"key": "petugas", "title": ""}, {"key": "ringkasan", "title": "Ikhtisar"}])
    sections = monthly.build(admin_user.office, MONTH, layout.sections)
    assert [(s.key, s.title) for s in sections] == [("petugas", "Beban kerja per PK"), ("ringkasan", "Ikhtisar")]


@pytest.mark.django_db
def test_posted_numbers_sort_the_sections_and_ties_keep_the_shipped_order(login, admin_user):
    shipped = current_layout(admin_user.office_id)
    changes = {f"include|{key}": None for key in monthly.SECTIONS}
    changes.update({"include|petugas": "1", "order|petugas": "1", "include|ringkasan": "1", "order|ringkasan": "5",
                    "include|kontak": "1", "order|kontak": "5"})
    assert login(admin_user).post(URL, layout_post(shipped, **changes)).status_code == 302
    assert [entry["key"] for entry in current_layout(admin_user.office_id).sections] == ["petugas", "ringkasan", "kontak"]


@pytest.mark.django_db
@pytest.mark.parametrize("changes, message", [
    ({f"include|{key}": None for key in monthly.SECTIONS}, "Pilih paling sedikit satu bagian untuk laporan."),
    ({"order|kontak": "0"}, "Urutan bagian “Kontak menurut jenis” harus angka 1–99."),
    ({"order|kontak": "dua"}, "Urutan bagian “Kontak menurut jenis” harus angka 1–99."),
    ({"title|kontak": "x" * 121}, "Judul bagian paling panjang 120 karakter."),
])
def test_a_bad_layout_is_refused_with_a_clear_message_and_what_was_typed_kept(login, admin_user, changes, message):
    shipped = current_layout(admin_user.office_id)
    response = login(admin_user).post(URL, layout_post(shipped, **{"title|ringkasan": "Judul yang diketik", **changes}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'value="Judul yang diketik"' in html
    assert ReportLayout.objects.filter(office_id=admin_user.office_id).count() == 1


@pytest.mark.django_db
def test_the_second_of_two_admins_editing_at_once_is_refused(login, admin_user):
    second_admin = UserFactory(username="admin2", office=admin_user.office, role=Role.ADMIN)
    opened = current_layout(admin_user.office_id)
    assert login(admin_user).post(URL, layout_post(opened, **{"title|ringkasan": "Versi admin pertama"})).status_code == 302
    response = login(second_admin).post(URL, layout_post(opened, **{"include|petugas": None}))
    assert response.status_code == 409 and "sudah diubah oleh pengguna lain" in response.content.decode()
    assert 'name="expected_number" value="1"' in response.content.decode()  # sent again as it is, refused again
    layout = current_layout(admin_user.office_id)
    assert layout.number == 2 and layout.sections[0]["title"] == "Versi admin pertama" and "petugas" in [e["key"] for e in layout.sections]


@pytest.mark.django_db
def test_the_shipped_layout_comes_back_as_a_new_version(login, admin_user):
    shipped = current_layout(admin_user.office_id)
    login(admin_user).post(URL, layout_post(shipped, **{"include|petugas": None, "title|ringkasan": "Ikhtisar"}))
    response = login(admin_user).post(URL, {"expected_number": 2, "shipped": "1"})
    assert response.status_code == 302
    layout = current_layout(admin_user.office_id)
    assert layout.number == 3 and layout.sections == monthly.shipped_layout()
    page = login(admin_user).get(URL).content.decode()
    assert "versi 3" in page and "versi 2" in page and "versi 1" in page  # the versions list


@pytest.mark.django_db
def test_only_the_office_admin_edits_it_and_each_office_has_its_own(login, admin_user, pk, supervisor, head, other_office):
    for user in (pk, supervisor, head):
        assert login(user).get(URL).status_code == 403
        assert login(user).post(URL, {"expected_number": 1, "shipped": "1"}).status_code == 403
    assert ReportLayout.objects.count() == 0
    other_admin = UserFactory(username="admin.lain", office=other_office, role=Role.ADMIN)
    mine = current_layout(admin_user.office_id)
    login(other_admin).post(URL, layout_post(current_layout(other_office.pk), **{"include|petugas": None}))
    assert current_layout(other_office.pk).number == 2 and current_layout(admin_user.office_id) == mine


@pytest.mark.django_db
def test_a_section_left_out_is_not_counted(admin_user):
    def count(layout):
        with CaptureQueriesContext(connection) as queries:
            monthly.build(admin_user.office, MONTH, layout)
        return len(queries)

    assert count([{"key": "ringkasan", "title": ""}]) == 4
    assert count(None) > 20


@pytest.mark.django_db
def test_a_saved_layout_naming_a_section_no_longer_made_still_makes_the_report(login, admin_user):
    ReportLayout.objects.create(office=admin_user.office, number=1,
                                sections=[{"key": "dihapus", "title": "Bagian lama"}, {"key": "ringkasan", "title": ""}])
    assert [s.key for s in monthly.build(admin_user.office, MONTH, current_layout(admin_user.office_id).sections)] == ["ringkasan"]
    page = login(admin_user).get(URL)
    assert page.status_code == 200 and "Bagian lama" not in page.content.decode()


@pytest.mark.django_db
def test_the_layout_page_costs_the_same_however_many_versions(login, admin_user):
    from reports.layouts import layout_publish

    client = login(admin_user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    count()  # version 1 saved on the first visit
    few = count()
    for number in range(1, 13):
        layout_publish(by=admin_user, office_id=admin_user.office_id, sections=monthly.shipped_layout(), expected_number=number)
    assert count() == few
