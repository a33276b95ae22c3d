"""The quote evaluation's speaker match: as strict as published scoring, and no looser."""

from __future__ import annotations

import pytest

from digests.quotes import evaluate


@pytest.fixture(scope="module")
def same_speaker():
    return evaluate.same_speaker


@pytest.mark.parametrize(
    ("label", "got"),
    [
        ("Ted Sarandos", "ted sarandos"),
        ("Sarandos", "Ted Sarandos"),
        ("the Pentagon", "Pentagon"),
        ("Netflix’s lawyers", "Netflix's lawyers"),
        ("a Meta spokesperson", "the spokesperson"),
        ("ESA", "European Space Agency"),
        ("Computer and Online Services Council", "COSC"),
        (None, None),
    ],
)
def test_same_speaker_forms_match(same_speaker, label, got) -> None:
    assert same_speaker(label, got)


@pytest.mark.parametrize(
    ("label", "got"),
    [
        ("Lena Hartwig", "Scioto Water Alliance"),  # a person is not their organisation
        ("Anneke Brouwer", "shop owner"),  # a role is not the name
        ("a Meta spokesperson", "Meta"),  # nor the name inside the role
        ("Ted Sarandos", "Ted Sarandoss"),  # no fuzzy spelling
        ("X", "xAI"),  # tokens, not substrings
        ("ESA", "European Aviation Agency"),  # initials must match
        ("Ted Sarandos", None),
        (None, "Ted Sarandos"),
    ],
)
def test_different_speakers_do_not_match(same_speaker, label, got) -> None:
    assert not same_speaker(label, got)


def test_an_article_the_ingest_cannot_read_fails_the_evaluation(tmp_path) -> None:
    rows = [{"file": "missing.md", "quotes": [{"start": "We will", "speaker": None}]}]
    with pytest.raises(evaluate.EvaluationError, match=r"missing\.md"):
        evaluate.evaluate(tmp_path, rows)


def test_each_matched_quote_is_tallied_under_the_rule_that_named_its_speaker(tmp_path) -> None:
    (tmp_path / "a.md").write_text(
        "Ferry fares rise\n\n“We have no choice but to raise the fares,” said Mara Lund, "
        "the operator's chief executive.\n\n“Nobody likes paying more for the same crossing,” "
        "a commuter told us.\n",
        encoding="utf-8",
    )
    rows = [
        {
            "file": "a.md",
            "quotes": [
                {"start": "We have no choice", "speaker": "Mara Lund"},
                {"start": "Nobody likes paying", "speaker": "a commuter"},
            ],
        }
    ]
    score = evaluate.evaluate(tmp_path, rows)
    assert score.speaker_ok == 2
    assert score.by_rule == {"tail.verb-subject": [1, 1], "tail.subject-verb": [1, 1]}
