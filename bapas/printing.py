"""Printed papers (the kartu and kontrak bimbingan, the Litmas, the monthly report): HTML rendered to a
PDF with WeasyPrint, or shown as a page with ?format=html for checking and the browser's own print."""

from django.http import HttpResponse


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only printing needs it

    return HTML(string=html).write_pdf()


def printed(request, html: str, filename: str) -> HttpResponse:
    """The paper as an inline PDF named `filename`, or with ?format=html the page it is made from."""
    if request.GET.get("format") == "html":
        return HttpResponse(html)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
