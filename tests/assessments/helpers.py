import copy

from assessments.definitions import SHIPPED_DIR, read_definition_file
from assessments.engine import item_max, scored_items

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
