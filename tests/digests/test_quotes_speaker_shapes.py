"""Speaker shapes from real news that used to go wrong (issue 14), on our own sentences.

Each test fails on the engine before the fix it names.
"""

from __future__ import annotations

from digests.quotes import extract_quotes


def _speakers(text: str) -> list[str | None]:
    return [q.speaker for q in extract_quotes(text)]


def test_a_sentence_opening_adverbial_is_never_the_speaker() -> None:
    text = (
        "Following a hastily called meeting, the harbour board issued a statement calling "
        "the closure “a temporary measure to protect the public”."
    )
    assert _speakers(text) != ["Following"]
    text = (
        "Shortly after the vote, “this is a sad day for the valley and its farmers,” a "
        "statement from the union read."
    )
    assert "Shortly" not in _speakers(text)


def test_hours_later_is_not_a_person_the_named_subject_is() -> None:
    text = (
        "Hours later, Ines Duarte went further, telling the Courier, “We will not sign "
        "anything that cuts the night buses.”"
    )
    assert _speakers(text) == ["Ines Duarte"]


def test_a_verb_opening_the_sentence_is_not_part_of_the_name() -> None:
    text = (
        "Wrote Pia Sandberg, the festival's director: “The festival lost money for the third "
        "year running.”"
    )
    assert _speakers(text) == ["Pia Sandberg"]


def test_a_title_abbreviation_alone_is_no_speaker() -> None:
    text = "“We need answers about where the money went,” Rep. said at the hearing."
    assert _speakers(text) == [None]


def test_the_speaker_stops_at_the_end_of_its_sentence() -> None:
    text = (
        "“The pier has to close before the storms arrive,” said Mayor Jane Doe. Critics worry "
        "the closure will hurt the ferry trade."
    )
    assert _speakers(text) == ["Jane Doe"]
