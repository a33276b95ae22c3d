"""The speed rewrites find exactly what the plain patterns they replace found.

Each fast path (no pattern compiled per name, look-behinds moved after the first
character, a pre-check before a backtracking pattern, features in forked workers)
must give the same speakers and clusters as before; these compare them with the
original formulation on generated text built from the characters that matter.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from digests import cluster as cluster_mod
from digests.models import Article
from digests.quotes import lexicon, names, phrases, resolve, roles

# Words and marks the patterns care about: prepositions, names, possessives, quotes.
_PIECES = [
    "for", "of", "the", "on", "at", "about", "to", "after", "said", "Meta", "Messenger",
    "Jo", "Ann", "Lee", "van", "Trump", "O’Brien", "Al-Amin", "Ted Sarandos", "’s", "'s",
    "’", "'", "s", " ", " ", "  ", "\n", ",", ".", "“", "”", '"', "‘", "Joz", "x", "-", "5",
    "Dr.", "e", "U.S.", "é", "Élodie",
]  # fmt: skip
_text = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
_name = st.sampled_from(["Meta", "Messenger", "Ted Sarandos", "Lee", "s", "O’Brien", "the"])


def _object_of_thing_reference(s: str, name: str) -> bool:
    m = re.search(rf"\b(?:for|of|on|from|about|at)\s+(?:the\s+)?{re.escape(name)}[’']?s?$", s)
    return bool(m) and roles.role_at_end(s[: m.start()]) is None


@settings(max_examples=400, deadline=None)
@given(_text, _name)
def test_thing_names_are_told_from_speakers_like_the_reference_pattern(s: str, name: str) -> None:
    assert phrases._object_of_thing(s, name) == _object_of_thing_reference(s, name)


def test_a_support_page_for_a_product_is_not_a_speaker_but_a_spokesperson_keeps_it() -> None:
    assert phrases._object_of_thing("A support page for Messenger", "Messenger")
    assert phrases._object_of_thing("the tests of the Messenger’s\n", "Messenger")
    assert not phrases._object_of_thing("a spokesperson for Meta", "Meta")
    assert not phrases._object_of_thing("Messenger", "Messenger")


@settings(max_examples=400, deadline=None)
@given(_text, _name)
def test_standalone_counts_match_the_word_boundary_pattern(text: str, run: str) -> None:
    expected = len(re.findall(rf"(?<![\w-]){re.escape(run)}(?![\w-])", text))
    assert resolve._count_standalone(text, run) == expected


@settings(max_examples=400, deadline=None)
@given(_text)
def test_possessive_names_are_found_as_before(text: str) -> None:
    for pos in range(len(text) + 1):
        expected = names._POSSESSIVE_AT.match(text, pos) is not None
        assert names._possessive_at(text, pos) == expected, (text, pos)


def test_long_capitalised_runs_without_a_possessive_are_not_possessive() -> None:
    run = " ".join(["Phokagripho", "Gritotobra", "Quinesselda", "Toriquital"] * 2) + ", who"
    assert not names._possessive_at(run, 0)
    assert names._possessive_at("Donald Trump’s second term", 0)
    assert names._possessive_at("after Donald Trump's reelection", 6)


_OLD_NICKNAMED = re.compile(
    rf"(?<![\w’'])([{lexicon.UPPER}][{lexicon.LOWER}]+) [“\"‘][\w’'.-]{{1,15}}[”\"’] "
    rf"([{lexicon.UPPER}][{lexicon.LOWER}]+)"
)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_text)
def test_name_scans_find_the_same_names(text: str) -> None:
    assert _spans(names._NAME_SCAN, text) == _spans(lexicon.NAME_SEQ, text)
    assert _spans(names._NICKNAMED, text) == _spans(_OLD_NICKNAMED, text)


def test_a_nickname_between_first_and_last_name_is_dropped() -> None:
    index = names.NameIndex.build("Greg “Joz” Joswiak said it. Joswiak added more.")
    assert index.person("Joswiak") == "Greg Joswiak"


_OLD_NAME = re.compile(r"(?<![\w.])(?:[A-Z][\w'’&-]*|[0-9]+)(?:\s+(?:[A-Z][\w'’&-]*|[0-9]+))*")
_OLD_LOWER = re.compile(r"(?<![\w'’])[a-z][\w'’-]*")
_OLD_QUOTED = re.compile(cluster_mod._QUOTED.pattern.removeprefix(r"(?=[“‘\"'])"), re.DOTALL)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "five more words in here", "A", "7"]), max_size=40))
def test_cluster_scans_find_the_same_features(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _spans(cluster_mod._NAME, text) == _spans(_OLD_NAME, text)
    assert cluster_mod._LOWER_WORD.findall(text) == _OLD_LOWER.findall(text)
    assert _spans(cluster_mod._QUOTED, text) == _spans(_OLD_QUOTED, text)


def _event_articles(events: int) -> list[Article]:
    """Two rewrites per event sharing a quote, a person and a figure; events share nothing."""
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    out = []
    for e in range(events):
        person = f"Mara Quill{chr(97 + e % 26)}{chr(97 + e // 26)}feather"
        fact = f"“Closed models number {e} are a dead end for science,” {person} said."
        for version, lead in enumerate(("Harbor Labs published", "Another lab released")):
            out.append(
                Article(
                    id=f"e{e}-{version}",
                    title=f"{lead} model {e}",
                    source=f"outlet{version}.example",
                    published=t0 + timedelta(days=5 * e, hours=version),
                    text=f"{lead} something on Tuesday. {fact} It cost ${e + 2}.5 million.",
                )
            )
    return out


def test_clusters_from_forked_workers_equal_the_serial_ones() -> None:
    articles = _event_articles(30)
    serial = cluster_mod.cluster(articles, workers=1)
    forked = cluster_mod.cluster(articles, workers=2)
    assert [[a.id for a in g] for g in forked] == [[a.id for a in g] for g in serial]
    assert len(serial) == 30 and all(len(g) == 2 for g in serial)
