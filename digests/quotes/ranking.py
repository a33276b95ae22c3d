"""Which spans count as quotes, and how quotes are ranked (the best ones become key)."""

from __future__ import annotations

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
