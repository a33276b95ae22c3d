"""Which spans count as quotes, and how quotes are ranked (the best ones become key)."""

from __future__ import annotations

from digests.models import Quote
from digests.quotes.article import Article
from digests.quotes.names import is_personlike
from digests.quotes.spans import MIN_WORDS, Span, looks_like_title, named_work, word_count


def quote_score(sp: Span, n_words: int, art: Article, total: int) -> float:
    score = 3.0 * min(n_words, 40) / 40
    if sp.speaker:
        score += 1.0
        if art.names.person(sp.speaker) or is_personlike(sp.speaker):
            score += 1.5
    t = sp.text.strip()
    if t[:1].isupper():
        score += 0.8  # a whole statement rather than a fragment woven into a sentence
    score -= 0.6 * sp.start / max(total, 1)
    return round(score, 3)


def is_quote(sp: Span, text: str) -> bool:
    """Long enough, and not a title or a named report."""
    body = sp.text.strip().rstrip(",").strip()
    words = word_count(body)
    if words < MIN_WORDS:
        return False
    if sp.how != "tail" and looks_like_title(sp.text):
        return False
    # Capgemini’s report “What matters to consumers in 2026.”
    return not (
        sp.how != "tail" and words <= 10 and body[:1].isupper() and named_work(text, sp.start)
    )


def is_statement(q: Quote) -> bool:
    """A quote a reader can take alone: it starts a sentence (capital or digit), rather than
    continuing the writer's ("was “put on hold”")."""
    first = q.text.lstrip("“\"‘'([…. ")[:1]
    return first.isupper() or first.isdigit()


def choose_key(ranked: list[tuple[float, Quote]], max_key: int) -> set[int]:
    """Indices (into ``ranked``, best score first) of the key quotes.

    Only full statements with a speaker are key: those within 60 % of the best one's
    score, up to ``max_key``.  An article whose quotes are all fragments woven into the
    writer's sentences or unattributed has no key quote (its quotes are still returned,
    best first).  Letting its best attributed whole-clause fragment be key instead was
    measured (bench/bench_key_quotes.py): 11.7 % of key quotes then start mid-sentence
    against the 5 % target, so fragments are never key.
    """
    if max_key <= 0 or not ranked:
        return set()
    full = [i for i, (_, q) in enumerate(ranked) if q.speaker and is_statement(q)]
    if not full:
        return set()
    best = ranked[full[0]][0]
    return {i for i in full[:max_key] if ranked[i][0] >= 0.6 * best}
