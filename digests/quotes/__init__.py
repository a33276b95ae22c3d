"""Direct quotations and who said them, ranked, with the best 1-3 marked as key.

Rules, not models (a learned ranker over candidate speakers was tried and did not beat
these rules on blind data; see the git history of ``digests/speaker_rank.py``): a linear
scan pairs quotation marks (:mod:`.spans`), then each quote of four or more words looks
for its attribution in the text right after it (:mod:`.tail`: ", Sarandos said",
"— Ted Sarandos, Netflix CEO", ", said X"), else in its own sentence before it
(:mod:`.head`: "CEO Ted Sarandos told investors: '…'", "according to X"); quotes with
no cue of their own continue an attributed one (:mod:`.inherit`, :mod:`.pronouns`) or
take a speaker scored from the sentences around them (:mod:`.context`).
Surnames, first names and he/she resolve to the fullest name the article gives
(:mod:`.names`); "the company", "the agency" or an acronym resolve to the body the
article named (:mod:`.organisations`, :mod:`.documents`).  Ranking is in :mod:`.ranking`;
the pipeline that runs the rules in order is :mod:`.extract`.
"""

from __future__ import annotations

from digests.quotes.extract import extract_quotes

__all__ = ["extract_quotes"]
