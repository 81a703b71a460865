"""The client app's own panels on the client's page. Each runs a fixed number of queries."""

from django.core.paginator import Paginator

from . import selectors
from .panels import Panel, register_panel

CONTACTS_PER_PAGE = 20


def _supervisions(request, client):
    return {"supervisions": list(selectors.client_supervisions(user=request.user, client=client))}


def _contacts(request, client):
    contacts = selectors.client_contacts(user=request.user, client=client)
    return {"page": Paginator(contacts, CONTACTS_PER_PAGE).get_page(request.GET.get("kontak"))}


def _violations(request, client):
    return {"violations": list(selectors.client_violations(user=request.user, client=client)[:50])}


def _documents(request, client):
    return {"documents": list(selectors.client_documents(client=client))}


def register():
    register_panel(Panel("supervisions", "clients/panels/supervisions.html", 10, _supervisions))
    register_panel(Panel("contacts", "clients/panels/contacts.html", 20, _contacts))
    register_panel(Panel("violations", "clients/panels/violations.html", 30, _violations))
    register_panel(Panel("documents", "clients/panels/documents.html", 40, _documents))
