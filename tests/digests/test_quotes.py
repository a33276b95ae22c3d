"""Quote extraction on hand-written snippets: one test per attribution rule in the issue."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digests.models import Quote
from digests.quotes import extract_quotes


def by_start(quotes: tuple[Quote, ...], start: str) -> Quote:
    """The extracted quote beginning with ``start`` (fails the test when there is none)."""
    hits = [q for q in quotes if q.text.startswith(start)]
    assert hits, f"no quote starting {start!r} in {[q.text for q in quotes]}"
    return hits[0]


def speakers(text: str, title: str | None = None) -> dict[str, str | None]:
    """First four words of each quote -> its speaker."""
    return {" ".join(q.text.split()[:4]): q.speaker for q in extract_quotes(text, title=title)}


# -- speakers -------------------------------------------------------------------------------


def test_surname_after_quote_resolves_to_earlier_full_name() -> None:
    text = (
        "Netflix CEO Ted Sarandos spoke to analysts on Tuesday about the quarter.\n\n"
        "“We are confident that this tool will help our partners,” Sarandos said."
    )
    q = by_start(extract_quotes(text), "We are confident")
    assert q.speaker == "Ted Sarandos"
    assert q.text == "We are confident that this tool will help our partners"


def test_dash_attribution_with_role_after_the_name() -> None:
    text = "“AI is going to help us tell stories better and faster.” —Ted Sarandos, Netflix CEO"
    assert by_start(extract_quotes(text), "AI is going").speaker == "Ted Sarandos"


def test_single_quotes_after_colon_with_apostrophes_inside() -> None:
    text = (
        "CEO Ted Sarandos told investors AI is a tool: 'It takes a great artist, and AI doesn’t "
        "make you one. We're not chasing novelty.' Netflix’s shares rose."
    )
    q = by_start(extract_quotes(text), "It takes a great artist")
    assert q.speaker == "Ted Sarandos"
    assert q.text.endswith("We're not chasing novelty.")


def test_colon_after_a_name_without_speech_verb() -> None:
    text = (
        "Jane Whitfield runs the studio.\n\n"
        "Whitfield is clear: 'We are not worried about machines replacing artists.'"
    )
    assert by_start(extract_quotes(text), "We are not worried").speaker == "Jane Whitfield"


def test_he_and_she_resolve_to_the_most_recent_person() -> None:
    text = (
        "Maria Lopez, the mayor, met Tom Becker on Friday. Becker asked for more time.\n\n"
        "“We need another month to finish the audit,” he said.\n\n"
        "Lopez disagreed. “The city cannot wait any longer for this,” she said."
    )
    got = speakers(text)
    assert got["We need another month"] == "Tom Becker"
    assert got["The city cannot wait"] == "Maria Lopez"


def test_according_to_names_the_speaker() -> None:
    text = (
        "The launch slipped again, according to Priya Raman, who leads the team: "
        "“We found a flaw in the heat shield last week.”"
    )
    assert by_start(extract_quotes(text), "We found a flaw").speaker == "Priya Raman"
    text2 = "Welcome to “a profound moment for humanity,” according to Google DeepMind CEO Demis Hassabis."
    assert by_start(extract_quotes(text2), "a profound moment").speaker == "Demis Hassabis"


def test_said_before_the_quote_and_said_name_title_after() -> None:
    text = (
        "Ana Ruiz said on Monday, “The merger will close before the end of the year.”\n\n"
        "“Regulators have not raised any concerns so far,” said Omar Haddad, chief legal "
        "officer of Fabrikam."
    )
    got = speakers(text)
    assert got["The merger will close"] == "Ana Ruiz"
    assert got["Regulators have not raised"] == "Omar Haddad"


def test_quote_interrupted_by_attribution_is_one_quote() -> None:
    text = (
        "Dana Whitaker founded the lab in 2019.\n\n"
        "“It takes a great team to build this,” she said. “Nobody does it alone, not even us.”\n\n"
        "“We shipped it early,” Whitaker said, “because customers kept asking for it.”"
    )
    quotes = extract_quotes(text)
    assert len(quotes) == 2
    first = by_start(quotes, "It takes a great team")
    assert first.text == "It takes a great team to build this. Nobody does it alone, not even us."
    assert first.speaker == "Dana Whitaker"
    second = by_start(quotes, "We shipped it early")
    assert second.text.endswith("because customers kept asking for it.")
    assert second.speaker == "Dana Whitaker"


def test_quote_running_over_two_paragraphs_is_one_quote() -> None:
    text = (
        "Nora Quist spoke at the launch.\n\n"
        "“We spent three years on the battery alone and threw away two designs.\n\n"
        "“The third one is the one we are shipping this spring,” Quist said."
    )
    quotes = extract_quotes(text)
    assert len(quotes) == 1
    assert quotes[0].text.startswith("We spent three years")
    assert quotes[0].text.endswith("shipping this spring")
    assert quotes[0].speaker == "Nora Quist"


def test_organisation_and_role_speakers() -> None:
    title = "Perplexity denies stealth crawling claims"
    text = (
        "Cloudflare accused Perplexity of crawling sites that had blocked it.\n\n"
        "“These claims are simply wrong and we will show why,” a Perplexity spokesperson said.\n\n"
        "Perplexity later said the report was flawed. “Our crawlers respect every robots file,” "
        "the company said."
    )
    got = speakers(text, title)
    assert got["These claims are simply"] == "a Perplexity spokesperson"
    assert got["Our crawlers respect every"] == "Perplexity"
    text2 = "“We take these reports very seriously,” OpenAI said in a statement."
    assert by_start(extract_quotes(text2), "We take these").speaker == "OpenAI"


def test_unattributed_quote_has_no_speaker() -> None:
    text = "The banner read “no refunds after the first week of term” in large red letters."
    q = by_start(extract_quotes(text), "no refunds after")
    assert q.speaker is None


# -- what is and is not a quote ---------------------------------------------------------------


def test_straight_curly_and_single_marks_all_count() -> None:
    text = (
        'Ravi Patel said "the rollout starts in every region today."\n\n'
        "Patel added: ‘Nobody’s data leaves the country at any point.’\n\n"
        "Later Patel said 'we will publish the audit next spring' in an email."
    )
    texts = [q.text for q in extract_quotes(text)]
    assert any(t.startswith("the rollout starts") for t in texts)
    assert any(t.startswith("Nobody’s data leaves the country") for t in texts)
    assert any(t.startswith("we will publish the audit") for t in texts)
    assert all(q.speaker == "Ravi Patel" for q in extract_quotes(text))


def test_apostrophes_never_open_or_close_quotes() -> None:
    text = (
        "Netflix’s plan isn’t new, and the players’ union didn’t object. It's the '90s again, "
        "said nobody. Critics weren't convinced it'd work."
    )
    assert extract_quotes(text) == ()


def test_scare_quotes_titles_and_single_words_are_not_quotes() -> None:
    text = (
        "Cloudflare called it “stealth crawling” in a post. Netflix used AI in the show "
        "'The Eternaut' and in 'Happy Gilmore 2' and in “Billionaires’ Bunker”. The new "
        "“Galaxy Z Fold Ultra Edition” ships in May with a “smart” hinge and the film "
        "“The Return Of The Long Night” premieres in June."
    )
    assert extract_quotes(text) == ()


def test_four_word_minimum() -> None:
    assert extract_quotes("Kim Lee called the plan “far too late” on Monday.") == ()
    quotes = extract_quotes("Kim Lee called the plan “far too little, too late” on Monday.")
    assert [q.text for q in quotes] == ["far too little, too late"]


# -- ranking --------------------------------------------------------------------------------


def test_ranking_prefers_long_attributed_quotes_and_marks_at_most_max_key() -> None:
    text = (
        "Company filings describe “a period of rapid and sustained growth”.\n\n"
        "“We expect demand for these chips to outstrip supply for at least two more years, and "
        "we are building three new plants to meet it,” chief executive Lena Park said.\n\n"
        "“Prices will stay where they are,” Park added.\n\n"
        "“The plants will employ four thousand people across two states,” she said."
    )
    quotes = extract_quotes(text, max_key=2)
    assert quotes[0].text.startswith("We expect demand")
    assert [q.key for q in quotes].count(True) == 2
    assert all(q.key for q in quotes[:2]) and not any(q.key for q in quotes[2:])
    assert quotes[-1].speaker is None  # the unattributed fragment ranks last
    assert [q.score for q in quotes] == sorted((q.score for q in quotes), reverse=True)


def test_single_quote_is_key_and_empty_text_has_none() -> None:
    quotes = extract_quotes("“This is the only thing anyone said today,” Ada Osei said.")
    assert len(quotes) == 1 and quotes[0].key
    assert extract_quotes("") == ()
    assert extract_quotes("No quotation marks at all in this text.") == ()


@pytest.mark.parametrize("max_key", [0, 1, 3])
def test_max_key_bounds_the_key_count(max_key: int) -> None:
    text = "\n\n".join(
        f"“Statement number {i} has several words in it,” Sam Reyes said." for i in range(5)
    )
    quotes = extract_quotes(text, max_key=max_key)
    assert len(quotes) == 5
    assert sum(q.key for q in quotes) == max_key


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab CD.,:;\n\"“”'‘’—-")), max_size=300))
def test_never_crashes_and_quotes_come_from_the_text(text: str) -> None:
    quotes = extract_quotes(text)
    for q in quotes:
        assert q.text.strip()
        # Every word of a quote appears in the input (interrupted quotes are re-joined).
        for word in q.text.split():
            assert word.strip(".,") in text
    keys = [q.key for q in quotes]
    assert keys == sorted(keys, reverse=True)  # key quotes come first


def test_every_speaker_records_the_rule_that_found_it() -> None:
    text = (
        "“The pier has to close before winter storms arrive,” harbour master Olu Bassey said.\n\n"
        "Councillor Ada Brenn told reporters: “Repairs will take most of the spring season.”\n\n"
        "“Nobody here can remember a worse autumn for the boats.”"
    )
    got = {q.text[:12]: (q.speaker, q.how) for q in extract_quotes(text)}
    assert got["The pier has"] == ("Olu Bassey", "tail.subject-verb")
    assert got["Repairs will"] == ("Ada Brenn", "head.subject-verb")
    assert got["Nobody here "] == ("Ada Brenn", "inherit.continues")
    assert [q.how for q in extract_quotes("“No speaker is named for this one at all.”")] == [""]
