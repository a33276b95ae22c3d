"""Pick a quote's speaker from its candidates with the trained linear weights.

A candidate's score is the dot product of its features (:mod:`digests.speaker_features`)
with :data:`digests.speaker_model.WEIGHTS`; the highest-scoring candidate wins, and "no
speaker" is a candidate like any other, so the model also learns when to abstain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from digests import speaker_model
from digests.speaker_features import SpeakerCandidate


def score(features: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """Linear score: the sum of feature values times their weights (unknown features: 0)."""
    return sum(v * weights.get(k, 0.0) for k, v in features.items())


def choose(
    cands: Sequence[SpeakerCandidate], weights: Mapping[str, float] | None = None
) -> str | None:
    """The best candidate's name (None when "no speaker" wins or there is no candidate)."""
    w = speaker_model.WEIGHTS if weights is None else weights
    best: SpeakerCandidate | None = None
    best_score = float("-inf")
    for c in cands:
        s = score(c.features, w)
        if s > best_score:
            best, best_score = c, s
    return best.name if best is not None else None
