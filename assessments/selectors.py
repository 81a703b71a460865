from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from clients.selectors import client_supervision_ids, supervisions_visible_to

from .models import Assessment, InstrumentVersion


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(supervision__in=supervisions_visible_to(user))


def assessment_get(*, user, pk) -> Assessment:
    return get_object_or_404(
        assessments_visible_to(user).select_related(
            "version__instrument", "supervision__client", "supervision__office", "assessor", "override_decided_by", "corrects"
        ),
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
