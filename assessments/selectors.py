from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from clients.selectors import client_supervision_ids, visible

from .models import Assessment, InstrumentVersion


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(visible(user, "supervision__"))


def assessment_get(*, user, pk) -> Assessment:
    # The corrected assessment and the override's decider are read only where there is one: joining
    # them always made the planner weigh a ten-table join on every page that shows an assessment.
    return get_object_or_404(
        assessments_visible_to(user).select_related("version__instrument", "supervision__client", "supervision__office", "assessor"),
        pk=pk,
    )


def client_assessments(*, user, client) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(supervision__in=client_supervision_ids(user=user, client=client))
        .select_related("version__instrument", "assessor")
        .defer("answers", "version__definition")
        .order_by("-assessed_on", "-id")
    )


def usable_versions() -> QuerySet[InstrumentVersion]:
    """The newest version of each instrument is offered for new assessments."""
    return InstrumentVersion.objects.select_related("instrument").order_by("instrument__code", "-version")
