"""Key quotes are full statements with a speaker; fragments and unattributed quotes are not."""

from __future__ import annotations

from digests.quotes import extract_quotes


def test_a_full_attributed_statement_is_key_before_a_longer_fragment() -> None:
    text = (
        "Harbour master Olu Bassey said the pier was “in a far worse state than anyone on the "
        "council had been willing to admit for years”.\n\n"
        "“We close it on Monday,” Bassey said."
    )
    quotes = extract_quotes(text)
    assert [(q.text, q.key) for q in quotes if q.key] == [("We close it on Monday", True)]
    assert quotes[0].key  # key quotes come first


def test_an_article_with_only_fragments_has_no_key_quote() -> None:
    text = (
        "The council called the plan “a reckless waste of public money and time” and the "
        "mayor said it was “not going to happen while I am in office”."
    )
    quotes = extract_quotes(text)
    assert quotes and not any(q.key for q in quotes)


def test_a_quote_nobody_is_named_for_is_never_key() -> None:
    text = "The sign on the door read: “Closed until further notice, sorry for any trouble.”"
    assert not any(q.key for q in extract_quotes(text))
