"""Parser benchmark: `python -m tasks.parsing.bench [FILE]` prints one JSON line with median and p95 in ms.

Without FILE it parses a generated 30-item document (8 chapters, clauses with 2–5 units each), the size
of a real year's work points. Used by `make bench-parser`; never by tests (speed is not asserted).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path


def sample_document(items: int = 30, chapters: int = 8) -> str:
    from .numbers import int_to_cn

    lines = ["东江市人民政府办公室", "东政办〔2024〕7号", "2024年东江市法治政府建设工作要点",
             "2024年是全面推进法治政府建设的重要一年。"]
    per_chapter = -(-items // chapters)
    seq = 0
    for chapter in range(1, chapters + 1):
        lines.append(f"{int_to_cn(chapter)}、第{int_to_cn(chapter)}方面重点工作")
        for _ in range(per_chapter):
            seq += 1
            if seq > items:
                break
            leads = "、".join(["市司法局", "市政府办公室", "市财政局", "市审计局", "市统计局"][: 1 + seq % 5])
            lines.append(
                f"({int_to_cn(seq)})推进第{seq}项法治工作。健全制度机制，完善工作流程，加强监督检查，"
                "确保各项任务落到实处，不断提升依法行政能力和水平。"
                f"(牵头单位:{leads},责任单位:市政府各有关部门、各区镇)"
            )
    lines += ["东江市人民政府办公室", "2024年2月1日"]
    return "\n".join(lines)


def run(data: bytes | str, *, repeat: int = 50) -> dict[str, float | int | str]:
    from . import parse_document

    parse_document(data)  # warm-up: imports and the character tables
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        document = parse_document(data)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return {"page": "parse_points", "items": len(document.items), "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(p95, 2)}


def main(argv: list[str]) -> int:
    data: bytes | str = Path(argv[0]).read_bytes() if argv else sample_document()
    print(json.dumps(run(data), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
