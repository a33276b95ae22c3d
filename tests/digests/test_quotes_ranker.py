"""The learned speaker ranker: candidates, choice, training, and its honest measurement.

Unit tests use our own snippets; the corpus tests (skipped without ../shared/corpus)
run the article-grouped cross-validation and the historic blind comparison.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from digests import speaker_model
from digests.quotes import QuoteChoice, extract_quotes, speaker_choices
from digests.speaker_features import SpeakerCandidate
from digests.speaker_rank import choose

REPO = Path(__file__).resolve().parents[2]


def _bench(name: str):
    path = REPO / "bench" / f"{name}.py"
    sys.path.insert(0, str(REPO / "bench"))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


@pytest.fixture(scope="module")
def ts():
    return _bench("train_speakers")


def _by_name(choice: QuoteChoice) -> dict[str | None, dict[str, float]]:
    return {c.name: c.features for c in choice.candidates}


def test_own_attribution_and_no_speaker_are_both_candidates() -> None:
    text = (
        "Netflix met investors on Tuesday.\n\n“We will keep making great films,” Ted Sarandos said."
    )
    (choice,) = speaker_choices(text, title="Netflix earnings")
    assert choice.rule_speaker == "Ted Sarandos"
    cands = _by_name(choice)
    assert "own:tail" in cands["Ted Sarandos"]
    assert "none" in cands[None]


def test_context_candidates_carry_their_cue() -> None:
    text = (
        "Lena Hartwig runs the Scioto Water Alliance. Hartwig explained the plan to reporters.\n\n"
        "“The river will be clean again within five years.”"
    )
    (choice,) = speaker_choices(text, title="A plan for the river")
    feats = _by_name(choice)["Lena Hartwig"]
    assert any(k.startswith("cue:") for k in feats)
    assert feats["kind:person"] == 1.0


def test_first_person_quotes_say_someone_speaks() -> None:
    text = "Lena Hartwig spoke on Monday. She was tired.\n\n“I think we can fix this river soon.”"
    (choice,) = speaker_choices(text)
    assert "none&voice_i" in _by_name(choice)[None]


def test_choose_takes_the_highest_scoring_candidate_and_may_abstain() -> None:
    cands = [
        SpeakerCandidate("Ted Sarandos", {"own:tail": 1.0}),
        SpeakerCandidate(None, {"none": 1.0}),
    ]
    assert choose(cands, {"own:tail": 2.0, "none": 1.0}) == "Ted Sarandos"
    assert choose(cands, {"own:tail": 0.5, "none": 1.0}) is None
    assert choose([], {"none": 1.0}) is None


def test_learned_choice_keeps_a_plain_tail_attribution() -> None:
    text = "“Our subscribers watched more than ever this year,” Ted Sarandos said on Tuesday."
    (quote,) = extract_quotes(text, title="Netflix", learned=True)
    assert quote.speaker == "Ted Sarandos"


def test_adopted_flag_switches_extraction_to_the_model(monkeypatch) -> None:
    text = "“Our subscribers watched more than ever this year,” Ted Sarandos said on Tuesday."
    monkeypatch.setattr(speaker_model, "WEIGHTS", {"none": 10.0})  # a model that abstains
    monkeypatch.setattr(speaker_model, "ADOPTED", False)
    assert extract_quotes(text)[0].speaker == "Ted Sarandos"
    monkeypatch.setattr(speaker_model, "ADOPTED", True)
    assert extract_quotes(text)[0].speaker is None


def _example(ts, file: str, gold_feature: str, label: str):
    gold = SpeakerCandidate(label, {gold_feature: 1.0, "common": 1.0})
    other = SpeakerCandidate("Someone Else", {"distractor": 1.0, "common": 1.0})
    none = SpeakerCandidate(None, {"none": 1.0})
    return ts.Example(file, label, QuoteChoice("“…”", None, (other, gold, none)))


def test_training_learns_which_cue_points_at_the_speaker(ts) -> None:
    train = [_example(ts, f"a{i}.md", "good_cue", f"Person {i}") for i in range(20)]
    w = ts.train(train, l2=0.01, iters=100)
    held_out = _example(ts, "new.md", "good_cue", "New Person")
    assert choose(held_out.choice.candidates, w) == "New Person"
    assert w["good_cue"] > w.get("distractor", 0.0)


def test_folds_never_split_an_article(ts) -> None:
    arts = [ts.Article(f"f{i}.md", [], 0, 0) for i in range(23)]
    parts = ts.folds(arts, 5, seed=0)
    files = [a.file for p in parts for a in p]
    assert sorted(files) == sorted(a.file for a in arts)  # each article in exactly one fold
    assert all(4 <= len(p) <= 5 for p in parts)


# -- corpus: the honest figures ----------------------------------------------------------


def test_cross_validated_speaker_choice_meets_the_targets(corpus_dir: Path, ts, capsys) -> None:
    arts = ts.load_articles(corpus_dir)
    res = ts.cross_validate(arts, k=5, seed=0, inner=1, verbose=0)
    n = res.n
    assert n >= 300
    assert res.tp / (res.tp + res.fp) >= 0.90  # precision
    assert res.tp / (res.tp + res.fn) >= 0.80  # recall
    # Measured (seed 0): learned 0.940 held out, rules 0.943 in-sample, a right candidate
    # exists for 0.972.  Blind (bench/historic_blind.py --all): rules 0.679, learned 0.684.
    assert res.learned_ok / n >= 0.90
    assert res.rules_ok / n >= 0.90
    assert res.reachable >= res.learned_ok


def test_model_weights_name_features_the_generator_still_makes(corpus_dir: Path, ts) -> None:
    made: set[str] = set()
    for ex in ts.flat(ts.load_articles(corpus_dir)):
        for c in ex.choice.candidates:
            made.update(c.features)
    stale = set(speaker_model.WEIGHTS) - made
    assert not stale, f"re-run bench/train_speakers.py --write; unknown features: {stale}"


def test_historic_blind_run_reproduces_the_blind_rules_figure(corpus_dir: Path) -> None:
    """Rules as of e91e08a scored 0.68 on blind set 4 when it was labelled (issue note)."""
    if subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", "e91e08a"]).returncode:
        pytest.skip("git history with commit e91e08a not available")
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "historic_blind.py"),
            "e91e08a",
            "quotes_blind4.jsonl",
            "--corpus",
            str(corpus_dir),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "speaker rules=0.682" in out, out
