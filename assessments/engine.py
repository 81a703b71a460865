"""One scoring engine for every instrument definition: item points → domain scores → total → level.
Nothing here knows which instrument it scores; the definition (data) says everything."""

from dataclasses import dataclass, field

SEX_ALIASES = {"M": "M", "L": "M", "F": "F", "P": "F"}


class ScoringError(ValueError):
    def __init__(self, item: str, message: str):
        super().__init__(f"{item}: {message}")
        self.item = item
        self.message = message


@dataclass(frozen=True)
class DomainScore:
    score: int
    level: str
    max_score: int


@dataclass(frozen=True)
class ScoreResult:
    total: int
    level: str
    max_total: int
    domains: dict[str, DomainScore] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "level": self.level,
            "domains": {name: {"score": d.score, "level": d.level} for name, d in self.domains.items()},
            "flags": list(self.flags),
        }


def scored_items(definition: dict) -> list[dict]:
    return [item for item in definition["items"] if item.get("scored")]


def item_max(item: dict) -> int:
    return max(option["points"] for option in item["options"])


def max_points(definition: dict) -> tuple[int, dict[str, int]]:
    """The highest reachable total, and per domain."""
    per_domain: dict[str, int] = {domain["name"]: 0 for domain in definition["domains"]}
    total = 0
    for item in scored_items(definition):
        total += item_max(item)
        if item.get("domain"):
            per_domain[item["domain"]] += item_max(item)
    return total, per_domain


def bands_for(bands, sex: str | None, what: str) -> list[dict]:
    if isinstance(bands, list):
        return bands
    key = SEX_ALIASES.get((sex or "").upper())
    if key is None or key not in bands:
        raise ScoringError(what, "tingkat bergantung pada jenis kelamin; sebutkan jenis kelamin klien (M/F)")
    return bands[key]


def level_for(score: int, bands: list[dict]) -> str:
    for band in bands:
        if band["min"] <= score and (band["max"] is None or score <= band["max"]):
            return band["level"]
    raise ScoringError("level", f"skor {score} tidak masuk pita mana pun")


def item_points(item: dict, answer) -> int:
    """Points for one scored item. An answer is points (int), an option code (str) or the stored
    form {"option": code} / {"points": n}, each possibly with a "note"."""
    if isinstance(answer, dict):
        answer = answer.get("option", answer.get("points"))
    if isinstance(answer, bool) or answer is None:
        raise ScoringError(item["code"], "butir berskor memerlukan pilihan jawaban, bukan centang")
    options = item["options"]
    if isinstance(answer, int):
        if not any(option["points"] == answer for option in options):
            allowed = ", ".join(str(option["points"]) for option in options)
            raise ScoringError(item["code"], f"nilai {answer} tidak ada pada pilihan butir ini (yang ada: {allowed})")
        return answer
    if isinstance(answer, str):
        for option in options:
            if option["code"] == answer:
                return option["points"]
        allowed = ", ".join(option["code"] for option in options)
        raise ScoringError(item["code"], f"pilihan '{answer}' tidak dikenal (yang ada: {allowed})")
    raise ScoringError(item["code"], "jawaban harus berupa angka atau kode pilihan")


def is_ticked(item: dict, answer) -> bool:
    if isinstance(answer, dict):
        answer = answer.get("checked", False)
    if answer is None:
        return False
    if not isinstance(answer, bool):
        raise ScoringError(item["code"], "butir daftar periksa hanya menerima benar/salah (true/false)")
    return answer


def score(definition: dict, answers: dict, *, sex: str | None = None, partial: bool = False) -> ScoreResult:
    """Scores a complete set of answers. With partial=True (the live score while a form is being
    filled) missing scored items count as zero instead of being an error."""
    items = {item["code"]: item for item in definition["items"]}
    for code in answers:
        if code not in items:
            raise ScoringError(code, "butir tidak dikenal pada instrumen ini")
    domain_scores = {domain["name"]: 0 for domain in definition["domains"]}
    total = 0
    flags = []
    for item in definition["items"]:
        answer = answers.get(item["code"])
        if not item.get("scored"):
            if is_ticked(item, answer):
                flags.append(item["code"])
            continue
        if answer is None or (isinstance(answer, dict) and answer.get("option", answer.get("points")) is None):
            if partial:
                continue
            raise ScoringError(item["code"], "butir berskor belum dijawab")
        points = item_points(item, answer)
        total += points
        if item.get("domain"):
            domain_scores[item["domain"]] += points
    max_total, domain_max = max_points(definition)
    domains = {
        domain["name"]: DomainScore(
            score=domain_scores[domain["name"]],
            level=level_for(domain_scores[domain["name"]], bands_for(domain["bands"], sex, domain["name"])),
            max_score=domain_max[domain["name"]],
        )
        for domain in definition["domains"]
    }
    level = level_for(total, bands_for(definition["total_bands"], sex, "total"))
    return ScoreResult(total=total, level=level, max_total=max_total, domains=domains, flags=flags)


def top_needs(result: ScoreResult, definition: dict, n: int = 3) -> list[tuple[str, DomainScore]]:
    return rank_needs(result.domains, definition["levels"], n)


def rank_needs(domains: dict[str, DomainScore], levels: list[str], n: int = 3) -> list[tuple[str, DomainScore]]:
    """The domains that need work most: highest level first, then the larger share of the maximum.
    Domains at the lowest level are not needs."""
    rank = {level: index for index, level in enumerate(levels)}
    needs = [(name, d) for name, d in domains.items() if rank[d.level] > 0]
    needs.sort(key=lambda pair: (rank[pair[1].level], pair[1].score / (pair[1].max_score or 1)), reverse=True)
    return needs[:n]
