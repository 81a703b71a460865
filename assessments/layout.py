"""Arranges a definition's items for display: by part, then by domain, with the stored answers."""


def form_sections(definition: dict, answers: dict) -> list[dict]:
    sections = []
    for part in definition["parts"]:
        groups: dict = {}
        for item in definition["items"]:
            if item["part"] != part["code"]:
                continue
            answer = answers.get(item["code"]) or {}
            groups.setdefault(item.get("domain") or "", []).append({
                **item,
                "selected": answer.get("option"),
                "checked": bool(answer.get("checked")),
                "note": answer.get("note", ""),
            })
        if groups:
            sections.append({"part": part, "groups": [{"domain": name, "items": items} for name, items in groups.items()]})
    return sections
