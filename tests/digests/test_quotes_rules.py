"""Each speaker rule's example in digests/quotes/RULES.md gives its speaker through that rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from digests.quotes import extract_quotes

RULES = Path(__file__).resolve().parents[2] / "digests" / "quotes" / "RULES.md"


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in RULES.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and "." in cells[0] and cells[3]:
            rows.append((cells[0], cells[3].replace("\\n", "\n"), cells[4]))
    return rows


ROWS = _rows()


def test_the_table_has_an_example_for_most_rules() -> None:
    assert len(ROWS) >= 15


@pytest.mark.parametrize(("rule", "example", "speaker"), ROWS, ids=[r[0] for r in ROWS])
def test_rule_example(rule: str, example: str, speaker: str) -> None:
    got = [(q.speaker, q.how) for q in extract_quotes(example)]
    assert (speaker, rule) in got
