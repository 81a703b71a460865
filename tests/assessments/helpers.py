import copy
import datetime

from django.utils import timezone

from assessments.definitions import SHIPPED_DIR, read_definition_file
from assessments.engine import item_max, scored_items
from assessments.models import Assessment, CasePlan, InstrumentVersion, Litmas
from assessments.policy import DEFAULT_RULES
from clients.models import Revocation
from tests.factories import SupervisionFactory, ViolationFactory

TODAY = timezone.localdate

RRI = read_definition_file(SHIPPED_DIR / "rri-02.json")
KRIM = read_definition_file(SHIPPED_DIR / "kriminogenik-02.json")


def zero_answers(definition):
    """Every scored item answered with its 0-point option."""
    return {item["code"]: next(o["code"] for o in item["options"] if o["points"] == 0) for item in scored_items(definition)}


def answers_reaching(definition, target, domain=None, base=None):
    """Answers whose points add up to target, within one domain (or over all scored items when
    domain is None), everything else at zero. Greedy over the options' points, largest first."""
    answers = dict(base or zero_answers(definition))
    remaining = target
    items = [i for i in scored_items(definition) if domain is None or i.get("domain") == domain]
    for item in sorted(items, key=item_max, reverse=True):
        fitting = [o for o in item["options"] if o["points"] <= remaining]
        best = max(fitting, key=lambda o: o["points"])
        answers[item["code"]] = best["code"]
        remaining -= best["points"]
    assert remaining == 0, f"cannot reach {target} in {domain}"
    return answers


def synthetic(**changes):
    """A small valid definition, for breaking one way at a time."""
    definition = {
        "code": "TEST", "version": "01", "name": "Uji", "levels": ["Rendah", "Sedang", "Tinggi"],
        "parts": [{"code": "A", "name": "A", "scored": True}, {"code": "B", "name": "B", "scored": False}],
        "domains": [{"name": "D1", "part": "A", "bands": [
            {"level": "Rendah", "min": 0, "max": 0}, {"level": "Sedang", "min": 1, "max": 1}, {"level": "Tinggi", "min": 2, "max": 3}]}],
        "total_bands": [{"level": "Rendah", "min": 0, "max": 1}, {"level": "Sedang", "min": 2, "max": 3},
                        {"level": "Tinggi", "min": 4, "max": 4}],
        "items": [
            {"code": "X1", "part": "A", "domain": "D1", "scored": True, "text": "x1",
             "options": [{"code": "a", "points": 0}, {"code": "b", "points": 1}, {"code": "c", "points": 2}]},
            {"code": "X2", "part": "A", "domain": "D1", "scored": True, "text": "x2",
             "options": [{"code": "a", "points": 0}, {"code": "b", "points": 1}]},
            {"code": "X3", "part": "A", "domain": None, "scored": True, "text": "x3",
             "options": [{"code": "a", "points": 0}, {"code": "b", "points": 1}]},
            {"code": "C1", "part": "B", "domain": None, "scored": False, "text": "c1"},
        ],
    }
    definition = copy.deepcopy(definition)
    for key, value in changes.items():
        definition[key] = value
    return definition


def waiting(office, officer, n=1):
    """n of each kind waiting for the TPP."""
    for i in range(n):
        supervision = SupervisionFactory(client__office=office, officer=officer)
        CasePlan.objects.create(supervision=supervision, status="submitted")
        Litmas.objects.create(office=office, client=supervision.client, kind="pb", year=2026, number=Litmas.objects.count() + 1,
                              register_number=f"L{i}-{supervision.pk}", officer=officer, requested_by="Lapas", requested_on=TODAY(),
                              due_on=TODAY(), status="submitted", submitted_at=timezone.now() - datetime.timedelta(days=3),
                              created_by=officer)
        violation = ViolationFactory(supervision=supervision, occurred_on=TODAY() - datetime.timedelta(days=5))
        Revocation.objects.create(violation=violation, supervision=supervision, report_number=f"BA/{i}",
                                  report_date=TODAY() - datetime.timedelta(days=4),
                                  created_by=officer)


def final_rri(supervision, day, level="Sedang"):
    return Assessment.objects.create(supervision=supervision, version=InstrumentVersion.objects.get(instrument__code="RRI"),
                                     status="final", assessed_on=day, assessor=supervision.officer, final_level=level)


def policy_post(**overrides):
    data = {"provisional_contacts_per_month": 1, "first_assessment_days": 30, "event_reassessment_days": 14, "home_visit_notice_days": 30,
            "expected_number": 1}
    for level, rule in DEFAULT_RULES.items():
        for field, value in rule.items():
            data[f"{level}|{field}"] = value
    data.update(overrides)
    return data


def rri_version():
    return InstrumentVersion.objects.get(instrument__code="RRI", version="02")


def form_data(definition, answers, row_version, action="save", **extra):
    data = {"assessed_on": timezone.localdate().isoformat(), "row_version": row_version, "action": action}
    for code, option in answers.items():
        data[f"a-{code}-option"] = option
    data.update(extra)
    return data
