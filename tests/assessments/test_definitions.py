import pytest

from assessments.definitions import DefinitionError, load_definition, validate_definition
from assessments.engine import score
from assessments.models import InstrumentVersion

from .helpers import KRIM, RRI, synthetic, zero_answers


def test_shipped_definitions_are_valid_and_loaded_after_migrate(db):
    validate_definition(RRI)
    validate_definition(KRIM)
    stored = set(InstrumentVersion.objects.values_list("instrument__code", "version"))
    assert {("RRI", "02"), ("KRIMINOGENIK", "02")} <= stored


def _with_item(index, **changes):
    definition = synthetic()
    definition["items"][index].update(changes)
    return definition


def _with_band(index, **changes):
    definition = synthetic()
    definition["total_bands"][index].update(changes)
    return definition


BROKEN = [
    (synthetic(items=synthetic()["items"] + [synthetic()["items"][0]]), "X1"),
    (_with_item(0, part="Z"), "X1"),
    (_with_item(0, domain="Tak Ada"), "X1"),
    (_with_item(0, options=[]), "X1"),
    (_with_item(1, options=[{"code": "a", "points": 0}, {"code": "b"}]), "X2"),
    (_with_item(1, options=[{"code": "a", "points": 0}, {"code": "a", "points": 1}]), "X2"),
    (_with_item(3, options=[{"code": "a", "points": 0}]), "C1"),
    (_with_item(3, scored=True, options=[{"code": "a", "points": 0}]), "C1"),
    (_with_band(1, level="Ekstrem"), "Ekstrem"),
    (_with_band(1, min=1), "tumpang tindih"),
    (_with_band(1, min=3), "celah"),
    (_with_band(0, min=1), "mulai dari 0"),
    (_with_band(2, min=5, max=4), "melebihi batas atas"),
    (_with_band(2, max=9), "melebihi skor maksimum"),
    (_with_band(2, max=3, min=4), "melebihi batas atas"),
    (synthetic(total_bands=synthetic()["total_bands"][:2]), "tidak punya tingkat"),
    (synthetic(total_bands=[{**b, "level": lv} for b, lv in zip(synthetic()["total_bands"], ["Sedang", "Rendah", "Tinggi"])]), "urutan"),
    (synthetic(total_bands=synthetic()["total_bands"][:2] + [{"level": "Tinggi", "min": 4, "max": 6}]), "melebihi skor maksimum"),
    (synthetic(domains=[{"name": "D1", "part": "A", "bands": [{"level": "Rendah", "min": 0, "max": 1},
                                                              {"level": "Sedang", "min": 4, "max": 4}]}]), "D1"),
]


@pytest.mark.parametrize("definition, named", BROKEN)
def test_broken_definitions_are_refused_with_the_problem_named(definition, named):
    with pytest.raises(DefinitionError) as error:
        validate_definition(definition)
    assert named in str(error.value)


def test_missing_keys_are_named():
    definition = synthetic()
    del definition["total_bands"]
    with pytest.raises(DefinitionError, match="total_bands"):
        validate_definition(definition)


def test_loading_twice_is_unchanged_and_an_unused_change_updates(db):
    definition = synthetic()
    assert load_definition(definition)[1] == "created"
    assert load_definition(definition)[1] == "unchanged"
    changed = synthetic()
    changed["items"][0]["text"] = "teks baru"
    version, outcome = load_definition(changed)
    assert outcome == "updated" and version.definition["items"][0]["text"] == "teks baru"


def test_a_used_version_cannot_change(db, monkeypatch):
    load_definition(synthetic())
    monkeypatch.setattr(InstrumentVersion, "is_used", lambda self: True)
    changed = synthetic()
    changed["items"][0]["text"] = "teks baru"
    with pytest.raises(DefinitionError, match="sudah dipakai"):
        load_definition(changed)


def test_an_old_version_keeps_scoring_as_before_when_a_new_one_loads(db):
    old, _ = load_definition(synthetic())
    answers = {"X1": "c", "X2": "b", "X3": "a"}
    before = score(old.definition, answers).as_dict()
    newer = synthetic(version="02")
    newer["items"][0]["options"][2]["points"] = 1
    newer["total_bands"][2]["max"] = 3
    newer["total_bands"][1]["max"] = 2
    newer["total_bands"][2]["min"] = 3
    newer["domains"][0]["bands"][2]["max"] = 2
    load_definition(newer)
    old.refresh_from_db()
    assert score(old.definition, answers).as_dict() == before
    assert InstrumentVersion.objects.filter(instrument__code="TEST").count() == 2


def test_rri_zero_answers_are_low():
    assert score(RRI, zero_answers(RRI)).level == "Rendah"
