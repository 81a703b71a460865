"""The monthly report as XLSX (one sheet per section), CSV (a zip of one file per section, UTF-8
with BOM for spreadsheet programs) and PDF (A4 with the office letterhead and the head's signature)."""

import csv
import io
import zipfile
from dataclasses import replace

from django.template.loader import render_to_string

from bapas.printing import html_parts_to_pdf

from .monthly import Section


def write_xlsx(sections: list[Section], stream) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    # Write-only mode streams rows to the file instead of holding a workbook in memory.
    workbook = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, section in enumerate(sections, 1):
        sheet = workbook.create_sheet(title=f"{index:02d} {section.key}"[:31])
        sheet.append([section.title])
        header = []
        for column in section.columns:
            cell = WriteOnlyCell(sheet, value=str(column))
            cell.font, cell.fill = bold, fill
            header.append(cell)
        sheet.append(header)
        for row in section.rows:
            sheet.append([value if isinstance(value, (int, float)) else str(value) for value in row])
    workbook.save(stream)


def write_csv_zip(sections: list[Section], stream) -> None:
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, section in enumerate(sections, 1):
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow([str(column) for column in section.columns])
            writer.writerows(section.rows)
            archive.writestr(f"{index:02d}_{section.key}.csv", "\ufeff" + buffer.getvalue())


# Table cells in one part of the PDF: the layout's memory follows its cells (some 25 kB each), and
# this many make about a page (40 rows of the officers' table), laid out in some 6 MB.
CELLS_PER_PART = 240


def pdf_parts(sections: list[Section], cells: int = CELLS_PER_PART) -> list[list[tuple[int, Section, bool]]]:
    """The sections as parts of at most `cells` table cells, each entry (number, section, continued).
    A section stays whole when it fits in the part; one longer than a part (the officers of a big
    office) is cut into pieces, the later ones marked as continued. The parts bound the memory the
    PDF takes, whatever the office's size."""
    parts, current, used = [], [], 0
    for number, section in enumerate(sections, 1):
        width = max(len(section.columns), 1)
        rows = max(cells // width, 1)
        pieces = [section.rows[start:start + rows] for start in range(0, len(section.rows), rows)] or [[]]
        for index, piece in enumerate(pieces):
            size = max(len(piece), 1) * width  # an empty section still prints a row saying so
            if current and used + size > cells:
                parts.append(current)
                current, used = [], 0
            current.append((number, replace(section, rows=piece), index > 0))
            used += size
    parts.append(current)
    return parts


def render_pdf(*, office, month, sections: list[Section], head) -> bytes:
    parts = pdf_parts(sections)
    context = {"office": office, "month": month, "head": head}
    return html_parts_to_pdf(
        render_to_string("reports/monthly_pdf.html", {**context, "entries": part, "first": index == 0, "last": index == len(parts) - 1})
        for index, part in enumerate(parts))
