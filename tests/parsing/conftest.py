"""Helpers for the parser tests: the fixture documents written for them live in ``documents/``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tasks.parsing import ParsedDocument, parse_document

DOCUMENTS = Path(__file__).parent / "documents"
# The samples sit beside the checkout (../shared/samples); FAZHI_SAMPLES_DIR points elsewhere (worktrees).
SAMPLES = Path(os.environ.get("FAZHI_SAMPLES_DIR") or Path(__file__).resolve().parents[2].parent / "shared" / "samples")


def parse_fixture(name: str) -> ParsedDocument:
    return parse_document((DOCUMENTS / name).read_bytes(), filename=name)


def units(document: ParsedDocument) -> list[tuple[int, list[str], list[str], list[str]]]:
    return [(i.seq, i.lead_units, i.responsible_units, i.other_units) for i in document.items]


def warning_texts(document: ParsedDocument) -> list[tuple[int | None, str]]:
    return [(w.seq, w.message) for w in document.warnings]


@pytest.fixture
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present")
    return SAMPLES
