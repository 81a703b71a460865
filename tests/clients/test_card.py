import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bapas.models import AuditEntry
from clients.services import document_attach

# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8ffff3f0005fe02fe"
    "a7d6a4f20000000049454e44ae426082"
)


@pytest.mark.django_db
def test_card_is_a_one_page_pdf_with_the_clients_facts(login, pk, supervision):
    from weasyprint import HTML

    response = login(pk).get(reverse("clients:card", args=[supervision.client_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = login(pk).get(reverse("clients:card", args=[supervision.client_id]), {"format": "html"}).content.decode()
    assert supervision.client.full_name in html and supervision.decree_number in html
    assert len(HTML(string=html).render().pages) == 1
    assert AuditEntry.objects.filter(action="client.card_print").count() == 2


@pytest.mark.django_db
def test_card_shows_the_photo_when_there_is_one(login, pk, supervision):
    document_attach(by=pk, client=supervision.client, kind="photo",
                    upload=SimpleUploadedFile("foto.png", PNG, content_type="image/png"))
    html = login(pk).get(reverse("clients:card", args=[supervision.client_id]), {"format": "html"}).content.decode()
    assert "data:image/png;base64," in html


@pytest.mark.django_db
def test_card_is_404_outside_scope(login, outsider, pk2, supervision):
    for user in (outsider, pk2):
        assert login(user).get(reverse("clients:card", args=[supervision.client_id])).status_code == 404


@pytest.mark.django_db
def test_agreement_lists_the_offices_clauses_and_the_decrees_conditions(login, pk, admin_user, supervision):
    supervision.special_conditions = "Mengikuti rehabilitasi rawat jalan di BNN Kota."
    supervision.save()
    office = supervision.office
    office.agreement_clauses = "Datang wajib lapor setiap Senin.\n\nTidak meninggalkan Kota Palembang tanpa izin."
    office.save()
    url = reverse("clients:agreement", args=[supervision.client_id])
    html = login(pk).get(url, {"format": "html"}).content.decode()
    assert "<li>Datang wajib lapor setiap Senin.</li><li>Tidak meninggalkan Kota Palembang tanpa izin.</li>" in html  # blank lines skipped
    assert "rehabilitasi rawat jalan" in html and supervision.client.nik in html
    response = login(pk).get(url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="client.agreement_print", actor=pk).count() == 2
    # The admin reads the file (NIK masked) and prints it too.
    assert supervision.client.nik not in login(admin_user).get(url, {"format": "html"}).content.decode()


@pytest.mark.django_db
def test_agreement_needs_a_running_supervision_and_is_404_outside_scope(login, pk, outsider, pk2, supervision):
    url = reverse("clients:agreement", args=[supervision.client_id])
    for user in (outsider, pk2):
        assert login(user).get(url).status_code == 404
    supervision.closed_on, supervision.closure_reason = supervision.start_date, "completed"
    supervision.save()
    response = login(pk).get(url, follow=True)
    assert "tidak sedang dalam pembimbingan" in response.content.decode()
