"""Helpers the client tests share: rows of an import spreadsheet."""

import datetime
import io

from django.utils import timezone
from openpyxl import Workbook

from tests.factories import nik_for

BIRTH = datetime.date(1990, 5, 17)


def row(pk, number=1, **changes):
    start = timezone.localdate() - datetime.timedelta(days=60)
    values = {
        "Nama lengkap": f"Klien Impor {number}", "NIK": nik_for(BIRTH, "L", 500 + number), "Tempat lahir": "Palembang",
        "Tanggal lahir": BIRTH, "Jenis kelamin": "Laki-laki", "Agama": "Islam", "Alamat": "Jl. Kenanga 3",
        "Nomor register klien": f"IMP-{number}", "Dasar hukum": "PB", "Nomor SK/putusan": f"PAS-{number}/2026",
        "Tanggal SK/putusan": (start - datetime.timedelta(days=10)).strftime("%d-%m-%Y"),
        "Penerbit SK / pengadilan": "Ditjenpas", "Pasal": "Pasal 362 KUHP", "Kategori tindak pidana": "Pencurian",
        "Pidana/vonis": "2 tahun", "Tanggal mulai": start, "Tanggal berakhir (ekspirasi)": start + datetime.timedelta(days=365),
        "Frekuensi wajib lapor": "30", "PK": pk.username,
    }
    return {**values, **changes}


def sheet(rows: list[dict]) -> bytes:
    book = Workbook()
    page = book.active
    headings = list(rows[0])
    page.append(headings)
    for values in rows:
        page.append([values.get(heading) for heading in headings])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
