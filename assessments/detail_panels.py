"""The assessments panel on the client's page."""

from clients.panels import Panel, register_panel

from . import selectors


def _assessments(request, client):
    return {"assessments": list(selectors.client_assessments(user=request.user, client=client)[:20])}


def register():
    register_panel(Panel("assessments", "assessments/panel.html", 15, _assessments))
