import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bapas.models import AuditEntry
from clients.models import ClientDocument

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.7\n%a decree\n"


def test_a_pk_uploads_the_wrong_file_and_withdraws_it_after_confirming(live_server, page, sign_in, pk, client_record,
                                                                      tmp_path, screenshot):
    wrong = tmp_path / "putusan-klien-lain.pdf"
    wrong.write_bytes(PDF)
    sign_in(pk)
    page.goto(live_server.url + reverse("clients:document_upload", args=[client_record.pk]))
    page.select_option("#id_kind", "decree")
    page.set_input_files("#id_upload", str(wrong))
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Dokumen diunggah.")).to_be_visible()

    page.get_by_test_id("document-withdraw").click()
    page.fill("#id_reason", "Salah klien")
    screenshot(page, "withdraw")
    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first; declined, nothing changes
    page.get_by_role("button", name="Tarik dokumen").click()
    expect(page.get_by_role("heading", name=f"Tarik dokumen — {client_record.full_name}")).to_be_visible()
    assert ClientDocument.objects.get().withdrawn_at is None

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tarik dokumen").click()
    expect(page.get_by_text("Dokumen putusan-klien-lain.pdf ditarik dari berkas klien.")).to_be_visible()
    expect(page.locator("#dokumen")).to_contain_text("Belum ada dokumen.")
    assert AuditEntry.objects.get(action="document.withdraw").detail["reason"] == "Salah klien"
