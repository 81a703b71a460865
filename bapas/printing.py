"""Printed papers (the kartu and kontrak bimbingan, the Litmas, the monthly report): HTML rendered to a
PDF with WeasyPrint, or shown as a page with ?format=html for checking and the browser's own print."""

import io
from collections.abc import Iterable

from django.http import HttpResponse

# The page numbers of a paper made in parts: A4 pages with nothing but "n / total" in the corner, laid
# over the parts' pages. The margin and type match the papers' own.
PAGE_NUMBERS = """<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 15mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-family: "DejaVu Sans", sans-serif; font-size: 8pt; } }
div { break-after: page; }
</style></head><body>%s<p></p></body></html>"""


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only printing needs it

    return HTML(string=html).write_pdf()


def html_parts_to_pdf(parts: Iterable[str]) -> bytes:
    """One numbered PDF from HTML documents laid out one at a time and joined page after page.

    WeasyPrint keeps a whole document's layout until it has written it, about 100 kB for each table
    row, so a long paper made in one piece needs memory in proportion to its length. Made in parts,
    it needs one part's layout and the finished pages' bytes. The pages are numbered once they are
    all known, as no part knows the total."""
    import gc

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for html in parts:
        for page in PdfReader(io.BytesIO(html_to_pdf(html))).pages:
            writer.add_page(page)
        # A part's layout is a web of boxes pointing at each other, freed only by a full collection:
        # without one, the parts' garbage piles up and the peak grows with the paper again.
        gc.collect()
    numbers = PdfReader(io.BytesIO(html_to_pdf(PAGE_NUMBERS % ("<div></div>" * (len(writer.pages) - 1)))))
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)
        page.compress_content_streams()  # merging leaves the page's content uncompressed
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def printed(request, html: str, filename: str) -> HttpResponse:
    """The paper as an inline PDF named `filename`, or with ?format=html the page it is made from."""
    if request.GET.get("format") == "html":
        return HttpResponse(html)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
