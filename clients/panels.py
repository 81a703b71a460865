"""The client's page is assembled from panels that apps register in their AppConfig.ready(),
so this app never imports the apps built on top of it (assessments, programmes …)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    order: int
    # Builds the panel's template context; it must run a fixed number of queries.
    context: Callable[[HttpRequest, object], dict]


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels_for(request: HttpRequest, client) -> list[tuple[Panel, dict]]:
    return [(panel, panel.context(request, client)) for panel in sorted(_panels.values(), key=lambda p: p.order)]
