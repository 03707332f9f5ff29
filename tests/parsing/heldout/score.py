"""Scores the parser on the held-out documents in this folder (written by hand, never tuned on).

Each ``NAME.txt`` has a ``NAME.json`` with the items a careful reader finds in it: title and the three
unit lists (and ``path`` where the document has headings between chapter and item). An expected item
is found when a parsed item has its title, or, failing that, a parsed item's text starts with the
title's first twelve characters (the item is there but its title is wrong).

    python -m tests.parsing.heldout.score      # one line per document, then the totals
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from tasks.parsing import parse_document

HERE = Path(__file__).parent
ROLES = ("lead_units", "responsible_units", "other_units")


@dataclass
class Score:
    name: str
    layout: str
    expected: int
    parsed: int
    found: int
    titles: int
    units: int
    paths: int
    with_path: int

    @property
    def f1(self) -> float:
        if not self.found:
            return 0.0
        precision, recall = self.found / self.parsed, self.found / self.expected
        return 2 * precision * recall / (precision + recall)


def documents() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.json"))


def score(name: str) -> Score:
    spec = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    parsed = parse_document((HERE / f"{name}.txt").read_bytes(), filename=f"{name}.txt").as_json()["items"]
    free = list(range(len(parsed)))
    pairs: list[tuple[dict, dict | None]] = []
    for want in spec["items"]:
        match = next((i for i in free if parsed[i]["title"] == want["title"]), None)
        if match is None:
            head = want["title"][:12]
            match = next((i for i in free if (parsed[i]["title"] + parsed[i]["body"]).startswith(head)), None)
        if match is not None:
            free.remove(match)
        pairs.append((want, parsed[match] if match is not None else None))
    found = [(w, g) for w, g in pairs if g is not None]
    with_path = [(w, g) for w, g in found if "path" in w]
    return Score(
        name=name, layout=spec["layout"], expected=len(spec["items"]), parsed=len(parsed), found=len(found),
        titles=sum(1 for w, g in found if g["title"] == w["title"]),
        units=sum(1 for w, g in found if all(g[r] == w[r] for r in ROLES)),
        paths=sum(1 for w, g in with_path if g.get("path") == w["path"]), with_path=len(with_path),
    )


def totals(scores: list[Score]) -> dict[str, float]:
    expected = sum(s.expected for s in scores)
    parsed = sum(s.parsed for s in scores)
    found = sum(s.found for s in scores)
    f1 = 2 * found / (expected + parsed) if expected + parsed else 0.0
    return {"items": expected, "item_f1": round(f1, 4),
            "titles_exact": round(sum(s.titles for s in scores) / expected, 4),
            "units_exact": round(sum(s.units for s in scores) / expected, 4)}


def main() -> int:
    scores = [score(name) for name in documents()]
    for s in scores:
        print(f"{s.name:24} {s.layout:8} items {s.found}/{s.expected} (parsed {s.parsed}) F1 {s.f1:.3f} "
              f"titles {s.titles}/{s.expected} units {s.units}/{s.expected} paths {s.paths}/{s.with_path}")
    print("all     ", json.dumps(totals(scores)))
    print("ordinary", json.dumps(totals([s for s in scores if s.layout == "ordinary"])))
    print("hard    ", json.dumps(totals([s for s in scores if s.layout == "hard"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
