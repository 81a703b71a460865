"""Exact scoring of both shipped definitions: every item, every cut-off boundary, the maxima."""

import pytest

from assessments.engine import ScoringError, item_max, max_points, score, scored_items, top_needs

from .helpers import KRIM, RRI, answers_reaching, synthetic, zero_answers


@pytest.mark.parametrize(
    "definition, item, option",
    [(d, i, o) for d in (RRI, KRIM) for i in scored_items(d) for o in i["options"]],
    ids=lambda v: v["code"] if isinstance(v, dict) and "code" in v else None,
)
def test_each_option_adds_exactly_its_points(definition, item, option):
    answers = zero_answers(definition)
    base = score(definition, answers).total
    answers[item["code"]] = option["code"]
    assert score(definition, answers).total == base + option["points"]
    answers[item["code"]] = option["points"]  # a number is points
    assert score(definition, answers).total == base + option["points"]


def test_rri_item_points_are_the_published_ones():
    points = {i["code"]: sorted(o["points"] for o in i["options"]) for i in scored_items(RRI)}
    assert points == {
        "A1": [0, 3], "A2": [0, 1], "A3": [0, 1], "A4": [0, 1], "A5": [0, 2, 4], "A6": [0, 1], "A7": [0, 1],
        "A8": [0, 1], "A9": [0, 1, 2, 3], "A10": [0, 1],
    }


def test_maximum_totals():
    assert max_points(RRI)[0] == 17
    total, per_domain = max_points(KRIM)
    assert total == sum(item_max(i) for i in scored_items(KRIM)) == 37
    assert per_domain == {
        "Keluarga dan Pernikahan": 6, "Pendidikan dan Pekerjaan": 11, "Napza dan Alkohol": 6, "Hubungan Sosial": 5,
        "Waktu Luang": 2, "Manajemen Keuangan": 2, "Sikap Anti-Sosial": 5,
    }


RRI_BANDS = [("Rendah", 0, 6), ("Sedang", 7, 11), ("Tinggi", 12, 15), ("Sangat Tinggi", 16, 17)]


@pytest.mark.parametrize("level, low, high", RRI_BANDS)
def test_rri_total_levels_at_both_edges(level, low, high):
    for target in (low, high):
        result = score(RRI, answers_reaching(RRI, target))
        assert (result.total, result.level) == (target, level)


KRIM_DOMAIN_BANDS = {
    "Keluarga dan Pernikahan": [("Rendah", 0, 1), ("Sedang", 2, 3), ("Tinggi", 4, 5), ("Sangat Tinggi", 6, 6)],
    "Pendidikan dan Pekerjaan": [("Rendah", 0, 2), ("Sedang", 3, 6), ("Tinggi", 7, 8), ("Sangat Tinggi", 9, 11)],
    "Napza dan Alkohol": [("Rendah", 0, 1), ("Sedang", 2, 4), ("Tinggi", 5, 5), ("Sangat Tinggi", 6, 6)],
    "Hubungan Sosial": [("Rendah", 0, 1), ("Sedang", 2, 3), ("Tinggi", 4, 4), ("Sangat Tinggi", 5, 5)],
    "Waktu Luang": [("Rendah", 0, 0), ("Sedang", 1, 1), ("Tinggi", 2, 2)],
    "Manajemen Keuangan": [("Rendah", 0, 0), ("Sedang", 1, 1), ("Tinggi", 2, 2)],
    "Sikap Anti-Sosial": [("Rendah", 0, 1), ("Sedang", 2, 4), ("Tinggi", 5, 5)],
}


@pytest.mark.parametrize(
    "domain, level, low, high", [(d, *band) for d, bands in KRIM_DOMAIN_BANDS.items() for band in bands]
)
def test_kriminogenik_domain_levels_at_both_edges(domain, level, low, high):
    for target in (low, high):
        result = score(KRIM, answers_reaching(KRIM, target, domain=domain))
        assert (result.domains[domain].score, result.domains[domain].level) == (target, level)
        assert result.total == target


@pytest.mark.parametrize("level, low, high", [("Rendah", 0, 10), ("Sedang", 11, 22), ("Tinggi", 23, 29), ("Sangat Tinggi", 30, 37)])
def test_kriminogenik_total_levels_at_both_edges(level, low, high):
    for target in (low, high):
        result = score(KRIM, answers_reaching(KRIM, target))
        assert (result.total, result.level) == (target, level)


def test_all_maximum_answers_reach_every_top_level():
    top = {i["code"]: item_max(i) for i in scored_items(KRIM)}
    result = score(KRIM, top)
    assert (result.total, result.level) == (37, "Sangat Tinggi")
    for name, bands in KRIM_DOMAIN_BANDS.items():
        assert result.domains[name].level == bands[-1][0]
    rri = score(RRI, {i["code"]: item_max(i) for i in scored_items(RRI)})
    assert (rri.total, rri.level) == (17, "Sangat Tinggi")


def test_checklist_flags_in_definition_order_and_omitted_means_no():
    answers = zero_answers(RRI) | {"D2": True, "B1": True, "C3": False}
    assert score(RRI, answers).flags == ["B1", "D2"]
    krim = zero_answers(KRIM) | {"B2_8": True, "B1_1": {"checked": True, "note": "catatan"}}
    assert score(KRIM, krim).flags == ["B1_1", "B2_8"]


def test_result_dict_shape():
    assert score(RRI, zero_answers(RRI)).as_dict() == {"total": 0, "level": "Rendah", "domains": {}, "flags": []}
    shape = score(KRIM, zero_answers(KRIM)).as_dict()
    assert shape["domains"]["Waktu Luang"] == {"score": 0, "level": "Rendah"} and len(shape["domains"]) == 7


@pytest.mark.parametrize(
    "change, item",
    [
        ({"Z9": "ya"}, "Z9"),
        ({"A5": 3}, "A5"),
        ({"A9": "ganja"}, "A9"),
        ({"A2": True}, "A2"),
        ({"B1": "ya"}, "B1"),
    ],
)
def test_bad_answers_name_the_item(change, item):
    with pytest.raises(ScoringError) as error:
        score(RRI, zero_answers(RRI) | change)
    assert error.value.item == item and item in str(error.value)


def test_missing_scored_item_is_named_unless_partial():
    answers = zero_answers(RRI)
    del answers["A7"]
    with pytest.raises(ScoringError) as error:
        score(RRI, answers)
    assert error.value.item == "A7"
    assert score(RRI, {"A1": "ya"}, partial=True).total == 3


def test_sex_specific_bands():
    bands = {"M": [{"level": "Rendah", "min": 0, "max": 2}, {"level": "Sedang", "min": 3, "max": 3},
                   {"level": "Tinggi", "min": 4, "max": 4}],
             "F": [{"level": "Rendah", "min": 0, "max": 1}, {"level": "Sedang", "min": 2, "max": 3},
                   {"level": "Tinggi", "min": 4, "max": 4}]}
    definition = synthetic(total_bands=bands)
    answers = {"X1": "c", "X2": "a", "X3": "a"}
    assert score(definition, answers, sex="M").level == "Rendah"
    assert score(definition, answers, sex="P").level == "Sedang"  # P(erempuan) = F
    with pytest.raises(ScoringError):
        score(definition, answers)


def test_top_needs_order_by_level_then_share():
    answers = answers_reaching(KRIM, 6, domain="Keluarga dan Pernikahan")
    answers = answers_reaching(KRIM, 2, domain="Manajemen Keuangan", base=answers)
    answers = answers_reaching(KRIM, 3, domain="Pendidikan dan Pekerjaan", base=answers)
    result = score(KRIM, answers)
    assert [name for name, _d in top_needs(result, KRIM)] == [
        "Keluarga dan Pernikahan", "Manajemen Keuangan", "Pendidikan dan Pekerjaan"]
