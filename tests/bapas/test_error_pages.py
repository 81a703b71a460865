"""What a user sees when a page refuses or fails: in their language, with the reason when there is
one, a way back, and nothing that tells an outsider a record exists."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation


def main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


@pytest.mark.django_db
def test_a_record_outside_ones_scope_and_a_page_that_never_was_read_the_same(login, outsider, client_record):
    outside = login(outsider).get(reverse("clients:detail", args=[client_record.pk]))
    never = login(outsider).get("/klien/999999999/")
    assert outside.status_code == never.status_code == 404
    page = outside.content.decode()
    assert "Halaman tidak ditemukan" in page and f'href="{reverse("home")}"' in page and client_record.full_name not in page
    assert main(page) == main(never.content.decode())
    assert 'data-testid="bell"' in page  # the layout, with the user's menu


@pytest.mark.django_db
def test_a_refusal_says_why(login, head, client_record):
    response = login(head).get(reverse("clients:edit", args=[client_record.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Tidak diizinkan" in page and "Peran Anda hanya dapat membaca berkas klien." in page


@pytest.mark.django_db
def test_a_form_whose_security_check_fails_says_what_to_do(pk, supervision):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(pk)
    response = browser.post(reverse("clients:contact_create", args=[supervision.pk]), {"kind": "call", "notes": "Telepon"})
    assert response.status_code == 403
    assert "Formulir tidak dapat dikirim" in response.content.decode() and "muat ulang" in response.content.decode()


def test_the_server_error_page_needs_no_context_and_speaks_english_too():
    assert "Terjadi kesalahan" in render_to_string("500.html")
    with translation.override("en"):
        page = render_to_string("500.html")
    assert 'lang="en"' in page and "Terjadi kesalahan" not in page
