"""Speakers from context (``digests.quotes.context``) for quotes with no attribution of their own.

Hand-written snippets; each pins one cue of the scorer, or a case where it must stay silent.
"""

from __future__ import annotations

from digests.models import Quote
from digests.quotes import extract_quotes
from digests.quotes.context import sentence_start


def speaker_of(text: str, start: str, title: str | None = None) -> str | None:
    quotes: tuple[Quote, ...] = extract_quotes(text, title=title)
    hits = [q for q in quotes if q.text.startswith(start)]
    assert hits, f"no quote starting {start!r} in {[q.text for q in quotes]}"
    return hits[0].speaker


def test_speech_verb_in_the_sentence_before_a_whole_quote() -> None:
    text = (
        "It could even be a good dance partner, as the firm's head of communications, Yuna "
        "Feld explained to me. “Take a short video, for example, and the robot learns it.”"
    )
    assert speaker_of(text, "Take a short video") == "Yuna Feld"


def test_quote_paragraph_after_an_attributed_one_continues_the_speaker() -> None:
    text = (
        "“We are keeping the old plan for now,” said Tom Reyes, the council’s treasurer.\n\n"
        "The vote is due next week.\n\n"
        "“Nobody on the council wants to raise fees again this year.”"
    )
    assert speaker_of(text, "We are keeping") == "Tom Reyes"
    assert speaker_of(text, "Nobody on the council") is None  # a paragraph in between


def test_next_paragraph_continues_the_last_speaker() -> None:
    text = (
        "“We are keeping the old plan for now,” said Tom Reyes, the council’s treasurer.\n\n"
        "“Nobody on the council wants to raise fees again this year.”"
    )
    assert speaker_of(text, "Nobody on the council") == "Tom Reyes"


def test_a_new_person_as_subject_before_the_quote_wins_over_continuing() -> None:
    text = (
        "“We are keeping the old plan for now,” said Tom Reyes, the council’s treasurer.\n\n"
        "Maria Lopez, who leads the opposition, disagreed at length. “This plan has failed "
        "every family in the district.”"
    )
    assert speaker_of(text, "This plan has failed") == "Maria Lopez"


def test_it_goes_on_to_state_continues_the_letter() -> None:
    text = (
        "In a letter dated May 3, Dana Whitfield tells the two companies that “the agency "
        "will not pursue any penalty this year.” It goes on to state that they “may keep "
        "offering the service without any liability.”"
    )
    assert speaker_of(text, "may keep offering") == "Dana Whitfield"


def test_in_his_estimation_is_the_person_already_speaking() -> None:
    text = (
        "But Ravi Mehta suggests the complaints come from an old idea of the app. The square "
        "feed, he says, “is long gone now.” Camera makers, in his estimation, are “betting on "
        "the wrong look entirely.”"
    )
    assert speaker_of(text, "betting on the wrong") == "Ravi Mehta"


def test_reported_speech_goes_on_into_the_next_sentence() -> None:
    text = (
        "To start, Lumen says that drivers will only cover the city centre. Eventually, the "
        "service will “include more local merchants in the wider area.”"
    )
    assert speaker_of(text, "include more local") == "Lumen"


def test_a_writers_own_fragment_stays_unattributed() -> None:
    text = (
        "The box is small and quiet. It ships with what the label calls “a year of free "
        "updates and support” and a short cable."
    )
    assert speaker_of(text, "a year of free") is None


def test_a_definite_role_resolves_to_the_person_holding_it() -> None:
    text = (
        "Bots are taking over the web, according to Skyline CEO Marcus Bell. Bell said the "
        "change is fast.\n\n"
        "The executive also noted that new tools will be needed. These could come soon.\n\n"
        "“What we are trying to build is the plumbing for all of that.”"
    )
    assert speaker_of(text, "What we are trying") == "Marcus Bell"


def test_sentence_start_skips_abbreviations() -> None:
    text = "Sen. Ron Wyden spoke first. Then Dr. Ann Lee said “it is fine by all of us.”"
    assert text[sentence_start(text, 0, text.index("Dr."))] == "T"
    assert sentence_start(text, 0, text.index("Wyden")) == 0


def test_owner_of_a_ruling_owns_its_quoted_words() -> None:
    text = (
        "Judge Nora Ellis ruled against the firm in May. Ellis’s September ruling ends the "
        "deals and says rivals get its data to “narrow the scale gap” it created."
    )
    assert speaker_of(text, "narrow the scale gap") == "Nora Ellis"


def test_in_the_eyes_of_a_named_person() -> None:
    text = (
        "Most people see a taxi company. But in the eyes of CEO Dara Kessler, the firm is a "
        "code base with engineers who are “literally the builders of the company.”"
    )
    assert speaker_of(text, "literally the builders") == "Dara Kessler"


def test_attribution_closing_a_long_sentence_covers_its_quote() -> None:
    text = (
        "The hinge may “limit initial supply for several weeks,” but the firm still plans "
        "to ship it in the autumn, Mara Quint wrote."
    )
    assert speaker_of(text, "limit initial supply") == "Mara Quint"


def test_singular_they_continues_a_role_speaker() -> None:
    text = (
        "Deep Orbit, one of its early series, was “put on hold for a variety of reasons,” a "
        "representative told us. “It is possible we will bring the concept back,” they added."
    )
    quotes = extract_quotes(text)
    assert len(quotes) == 2  # a fragment in the writer's sentence is not merged with the next
    assert speaker_of(text, "It is possible") == "a representative"
    assert speaker_of(text, "put on hold") == "a representative"
