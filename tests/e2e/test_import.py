import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clients import imports
from clients.models import ClientImport, Supervision
from tests.clients.helpers import row, sheet

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_imports_a_spreadsheet_after_seeing_the_check(live_server, page, sign_in, supervisor, pk, tmp_path, screenshot):
    path = tmp_path / "klien-lama.xlsx"
    path.write_bytes(sheet([row(pk, 1), row(pk, 2, NIK="123")]))
    sign_in(supervisor)
    page.goto(live_server.url + reverse("clients:list"))
    page.get_by_role("link", name="Impor dari spreadsheet").click()
    page.set_input_files("#id_upload", str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()
    status = page.get_by_test_id("import-status")
    expect(status).to_have_attribute("data-status", "checking")
    imports.work(ClientImport.objects.get())  # the worker's part; the page polls and sees it finish
    expect(status).to_have_attribute("data-status", "checked")
    expect(page.get_by_test_id("import-errors")).to_contain_text("NIK")
    screenshot(page, "checked")
    page.get_by_test_id("import-confirm").click()
    expect(status).to_have_attribute("data-status", "importing")
    imports.work(ClientImport.objects.get())
    expect(status).to_have_attribute("data-status", "done")
    expect(status).to_contain_text("1 klien diimpor")
    assert Supervision.objects.get(client__full_name="Klien Impor 1").officer == pk
