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


def test_according_to_in_the_next_sentence_is_not_the_quotes_source() -> None:
    text = (
        "He listed his aims as “America and all of its allies.” According to The Daily "
        "Ledger, he plans to start a think tank."
    )
    assert _speakers(text) == [None]


def test_a_long_appositive_chain_between_the_name_and_the_verb() -> None:
    text = (
        "“We will take this fight all the way to the supreme court,” Ola Hendry, the Labour "
        "attorney general of Westshire, one of the nine counties that have been suing the "
        "regional water board since 2019 over the sewage spills, said on Monday."
    )
    assert _speakers(text) == ["Ola Hendry"]
    text = (
        "“The board has ignored every warning we gave it, year after year,” Maria Lund, a "
        "former engineer at the plant who later became a campaigner with the Clean Rivers "
        "group, which has sued the company twice, told reporters."
    )
    assert _speakers(text) == ["Maria Lund"]


def test_a_companys_marketing_line_belongs_to_the_company_the_sentence_names() -> None:
    text = (
        "The new console from Ardent Games “makes every living room a cinema,” the launch "
        "video promises."
    )
    assert _speakers(text) == ["Ardent Games"]
    text = (
        "Its new “Creative Studio,” unveiled Thursday, is a suite of tools Lumora is calling "
        "“the biggest upgrade in our history.”"
    )
    assert _speakers(text) == ["Lumora"]  # not "Studio", the quoted product name


def test_a_quote_does_not_run_on_past_its_closing_mark() -> None:
    text = (
        "Ben Ruiz runs the centre. 'We need more people to come to the outreach,' he told the "
        "group, adding that the hall would stay open later and that 'nobody will be turned "
        "away at the door'."
    )
    assert [q.text for q in extract_quotes(text)] == [
        "We need more people to come to the outreach",
        "nobody will be turned away at the door",
    ]
    text = (
        "Ben Ruiz runs the centre. 'We need more young farmers' sons to come to the "
        "outreach,' he told the group, adding that the hall would stay open later."
    )
    assert [q.text for q in extract_quotes(text)] == [
        "We need more young farmers' sons to come to the outreach"
    ]


def test_a_transcript_is_read_as_turns_with_their_speakers() -> None:
    text = (
        "Chris Wallace pressed the vice president on the contracts.\n\n"
        "WALLACE: Do you think the governor should resign over the contracts scandal?\n\n"
        "PENCE: I think the voters of the state will make that decision in November.\n\n"
        "WALLACE: But you have not answered my question about the contracts.\n\n"
        "NEW: The network will air the full interview on Sunday."
    )
    got = sorted((q.text[:20], q.speaker, q.how) for q in extract_quotes(text))
    assert got == [
        ("But you have not ans", "Chris Wallace", "transcripts.turn"),
        ("Do you think the gov", "Chris Wallace", "transcripts.turn"),
        ("I think the voters o", "Pence", "transcripts.turn"),
    ]


def test_a_lone_note_label_is_no_transcript() -> None:
    text = "UPDATE: The council has now confirmed the closure of the pier until spring."
    assert extract_quotes(text) == ()


def test_products_and_features_are_never_speakers() -> None:
    text = (
        "Lumora is adding a “Quick Suite” to its office apps. Users in Quick Suite can draft "
        "reports, and the Quick Suite assistant answers questions. Early users of Quick Suite "
        "were impressed.\n\n"
        "Lumora said the tool “can draft a whole report from your notes in seconds.”\n\n"
        "The company wrote that Quick Suite “never sends your files to anyone else.”"
    )
    speakers = {q.speaker for q in extract_quotes(text)}
    assert "Quick Suite" not in speakers
    assert speakers == {"Lumora"}


def test_the_company_is_the_company_not_its_product() -> None:
    text = (
        "Tallis is trying to make Ferry less chatty. Tallis tested Ferry’s responses to 100 "
        "prompts, and people using Ferry have complained for months. In Ferry, answers now "
        "come shorter.\n\n"
        "Overall, the company says its models do well. Bias shows up “rarely and only at low "
        "levels of severity,” the company wrote."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Tallis"]


def test_a_company_written_with_its_domain_keeps_it() -> None:
    text = (
        "Harbourly.ai, which was founded in Oslo, says its tool can “cut planning time for "
        "every small ferry operator by half.” Harbourly has 40 staff."
    )
    assert _speakers(text) == ["Harbourly.ai"]
