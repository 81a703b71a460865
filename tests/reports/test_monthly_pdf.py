"""The monthly report's PDF is laid out in parts and joined, so that its memory does not follow the
office's size: the parts' cuts, the page numbers across them, and the peak itself."""

import datetime
import gc
import io
import tracemalloc

from pypdf import PdfReader

from bapas.models import Office
from bapas.printing import html_parts_to_pdf
from reports.exports import CELLS_PER_PART, pdf_parts, render_pdf
from reports.monthly import Section

MONTH = datetime.date(2026, 10, 1)


def officers(n):
    rows = [[f"PK {i:04d}", 40, 1, 70, 100.0, 70] for i in range(n)]
    return Section("petugas", "Beban kerja per PK", ["PK", "Klien aktif", "Litmas disusun", "Poin", "Kapasitas (poin)", "Beban %"], rows)


def small(key, n):
    return Section(key, key.title(), ["Uraian", "Jumlah"], [[f"{key} {i}", i] for i in range(n)])


def test_sections_stay_whole_until_one_is_longer_than_a_part():
    per_piece = CELLS_PER_PART // 6  # officers' rows in a part: six columns each
    sections = [small("ringkasan", 4), small("kosong", 0), small("risiko", 5), officers(2 * per_piece + 3)]
    parts = pdf_parts(sections)
    # The three small sections share the first part (an empty one counts as its "—" row); the
    # officers come in three pieces, the later two marked as continued, each number kept.
    assert [[(number, len(section.rows), continued) for number, section, continued in part] for part in parts] == [
        [(1, 4, False), (2, 0, False), (3, 5, False)],
        [(4, per_piece, False)],
        [(4, per_piece, True)],
        [(4, 3, True)],
    ]
    assert sections[3].rows[0] == parts[1][0][1].rows[0] and sections[3].rows[-1] == parts[3][0][1].rows[-1]
    # Narrow tables fill a part with more rows: it is the cells that take the memory.
    assert [len(part) for part in pdf_parts([small(f"s{i}", 10) for i in range(24)])] == [CELLS_PER_PART // 20] * (480 // CELLS_PER_PART)
    assert pdf_parts([]) == [[]]


def test_pages_are_numbered_across_the_parts():
    page = '<div style="break-after: page">%s</div>'
    parts = ["<p>satu</p>", page % "dua" + "<p>tiga</p>", "<p>empat</p>"]
    reader = PdfReader(io.BytesIO(html_parts_to_pdf(parts)))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == 4
    for number, (text, word) in enumerate(zip(texts, ["satu", "dua", "tiga", "empat"], strict=True), 1):
        assert word in text and f"{number} / 4" in text


def test_the_report_of_a_big_office_names_every_officer_once_and_in_order():
    office = Office(name="Bapas Uji", code="U01", city="Kota Uji")
    pdf = render_pdf(office=office, month=MONTH, sections=[small("ringkasan", 4), officers(120)], head=None)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    names = [line.split()[1] for line in text.splitlines() if line.startswith("PK 0")]
    assert names == [f"{i:04d}" for i in range(120)]
    assert "BAPAS UJI" in text and "2. Beban kerja per PK (lanjutan)" in text and "Kota Uji" in text
    assert f"{len(reader.pages)} / {len(reader.pages)}" in reader.pages[-1].extract_text()


def peak_mb(sections) -> float:
    office = Office(name="Bapas Uji", code="U01", city="Kota Uji")
    gc.collect()
    tracemalloc.start()
    try:
        render_pdf(office=office, month=MONTH, sections=sections, head=None)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_the_peak_does_not_follow_the_number_of_officers():
    fixed = [small(f"bagian{i}", 6) for i in range(14)]
    peak_mb(fixed + [officers(5)])  # the first paper loads fonts and caches that stay
    ordinary, big = peak_mb(fixed + [officers(40)]), peak_mb(fixed + [officers(200)])
    # Laid out in one piece, 200 officers took 2.4 times the memory of 40 (30.6 MB against 12.6);
    # in parts, 8.2 MB against 7.6: the pages already made cost tens of kilobytes each.
    assert big < 1.2 * ordinary, (ordinary, big)
