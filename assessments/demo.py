"""Demo assessments: most active demo clients get a final RRI, many a Kriminogenik too, so the
demo shows risk levels, intensity and case-plan suggestions. Safe to run again."""

import datetime
import random

from django.utils import timezone

from bapas.demo import demo_seeder
from bapas.models import Office, Role, User
from clients.models import Supervision

from .engine import score
from .litmas import assessment_summary
from .models import Assessment, AssessmentStatus, InstrumentVersion, Litmas, LitmasStatus
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


DEMO_LITMAS_PER_OFFICE = 8
LITMAS_REQUESTERS = ["Lapas Kelas I", "Rutan Kelas I", "Lapas Perempuan Kelas II", "Pengadilan Negeri"]


@demo_seeder(order=25, name="litmas")
def seed_litmas(*, password: str, rng_seed: int = 2027) -> dict:
    """A few Litmas in each demo office's register, at every step from draft to approval, so the register,
    the PK's reminders and the Kasi's TPP list show something. Only for an office whose register is empty."""
    today = timezone.localdate()
    created = 0
    for office in Office.objects.filter(code__in=["PLG", "MKS"]):
        if Litmas.objects.filter(office=office).exists():
            continue
        rng = random.Random(rng_seed + office.pk)
        supervisor = User.objects.filter(office=office, role=Role.SUPERVISOR).first()
        supervisions = list(Supervision.objects.filter(office=office, closed_on__isnull=True).select_related("client")
                            .order_by("pk")[:DEMO_LITMAS_PER_OFFICE])
        for number, supervision in enumerate(supervisions, start=1):
            status = [LitmasStatus.DRAFT, LitmasStatus.DRAFT, LitmasStatus.SUBMITTED, LitmasStatus.APPROVED][number % 4]
            requested = today - datetime.timedelta(days=rng.randint(3, 40))
            written = status != LitmasStatus.DRAFT or number % 3 == 0
            Litmas.objects.create(
                office=office, client=supervision.client, supervision=supervision, kind=rng.choice(["pb", "cb", "as", "guidance"]),
                year=today.year, number=number, register_number=office.litmas_register_number(number, today.year),
                officer=supervision.officer, requested_by=f"{rng.choice(LITMAS_REQUESTERS)} {office.city}",
                requested_on=requested, due_on=requested + datetime.timedelta(days=rng.choice([14, 30, 45])), status=status,
                client_history="Riwayat hidup klien (contoh)." if written else "",
                family="Tinggal bersama keluarga inti (contoh)." if written else "",
                offence=f"{supervision.offence_article} (contoh)." if written else "",
                conclusion="Klien menunjukkan perubahan sikap (contoh)." if written else "",
                recommendation="Dapat diberikan program integrasi (contoh)." if written else "",
                assessment_summary=assessment_summary(supervision.client) if status != LitmasStatus.DRAFT else [],
                submitted_at=timezone.now() if status != LitmasStatus.DRAFT else None,
                tpp_date=today if status == LitmasStatus.APPROVED else None,
                tpp_number=f"TPP/{number:02d}/{today.year}" if status == LitmasStatus.APPROVED else "",
                decided_by=supervisor if status == LitmasStatus.APPROVED else None,
                decided_at=timezone.now() if status == LitmasStatus.APPROVED else None,
                created_by=supervisor or supervision.officer,
            )
            created += 1
    return {"litmas created": created}
