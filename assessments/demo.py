"""Demo assessments: most active demo clients get a final RRI, many a Kriminogenik too, so the
demo shows risk levels, intensity and case-plan suggestions. Safe to run again."""

import datetime
import random

from django.utils import timezone

from bapas.demo import demo_seeder
from bapas.models import Office
from clients.models import Supervision

from .engine import score
from .models import Assessment, AssessmentStatus, InstrumentVersion
from .policy import current_policy, reapply_office

OPTION_WEIGHTS = [60, 28, 9, 3]


def _answers(definition: dict, rng: random.Random) -> dict:
    answers = {}
    for item in definition["items"]:
        if item.get("scored"):
            options = sorted(item["options"], key=lambda option: option["points"])
            chosen = rng.choices(options, OPTION_WEIGHTS[: len(options)])[0]
            answers[item["code"]] = {"option": chosen["code"], "note": ""}
        elif rng.random() < 0.08:
            answers[item["code"]] = {"checked": True, "note": ""}
    return answers


def _assessment(supervision, version, rng, today) -> Assessment:
    answers = _answers(version.definition, rng)
    result = score(version.definition, answers, sex=supervision.client.sex)
    assessed_on = min(today, supervision.start_date + datetime.timedelta(days=rng.randint(3, 40)))
    return Assessment(
        supervision=supervision, version=version, kind="initial", status=AssessmentStatus.FINAL, assessed_on=assessed_on,
        assessor=supervision.officer, answers=answers, total=result.total, computed_level=result.level,
        final_level=result.level, flags=result.flags,
        domain_scores={name: {"score": d.score, "level": d.level, "max": d.max_score} for name, d in result.domains.items()},
        finalised_at=timezone.now(),
    )


@demo_seeder(order=20, name="assessments")
def seed(*, password: str, rng_seed: int = 2027) -> dict:
    today = timezone.localdate()
    rri = InstrumentVersion.objects.get(instrument__code="RRI", version="02")
    needs = InstrumentVersion.objects.get(instrument__code="KRIMINOGENIK", version="02")
    offices = Office.objects.filter(code__in=["PLG", "MKS"])
    pending = (
        Supervision.objects.filter(office__in=offices, closed_on__isnull=True, assessments__isnull=True)
        .select_related("client", "officer")
        .order_by("pk")
    )
    created = []
    for supervision in pending:
        # One generator per supervision: a second run makes the same choices, so it adds nothing.
        rng = random.Random(rng_seed * 100_003 + supervision.pk)
        if rng.random() < 0.8:
            created.append(_assessment(supervision, rri, rng, today))
            if rng.random() < 0.6:
                created.append(_assessment(supervision, needs, rng, today))
    Assessment.objects.bulk_create(created, batch_size=500)
    for office in offices:
        reapply_office(office_id=office.pk, policy=current_policy(office.pk))
    return {"assessments created": len(created)}
