"""The quote evaluation's speaker match: as strict as published scoring, and no looser."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def same_speaker():
    spec = importlib.util.spec_from_file_location("eval_quotes", REPO / "bench" / "eval_quotes.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_quotes", module)
    spec.loader.exec_module(module)
    return module.same_speaker


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
