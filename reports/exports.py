"""The monthly report as XLSX (one sheet per section), CSV (a zip of one file per section, UTF-8
with BOM for spreadsheet programs) and PDF (A4 with the office letterhead and the head's signature)."""

import csv
import io
import zipfile

from django.template.loader import render_to_string

from bapas.printing import html_to_pdf

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


def render_pdf(*, office, month, sections: list[Section], head) -> bytes:
    html = render_to_string("reports/monthly_pdf.html", {"office": office, "month": month, "sections": sections, "head": head})
    return html_to_pdf(html)
