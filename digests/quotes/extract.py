"""The pipeline: spans → per-quote rules (tail, head) → continuation and context rules →
ranked :class:`~digests.models.Quote` tuples.
"""

from __future__ import annotations

from digests.models import Quote
from digests.quotes.article import Article
from digests.quotes.context import context_speaker
from digests.quotes.head import head
from digests.quotes.inherit import inherit, inherit_back, same_sentence
from digests.quotes.pronouns import implicit, they_continues
from digests.quotes.ranking import choose_key, is_quote, quote_score
from digests.quotes.spans import (
    MIN_WORDS,
    Span,
    continues,
    find_spans,
    looks_like_title,
    merge_interrupted,
    word_count,
)
from digests.quotes.tail import tail
from digests.quotes.transcripts import Turn, speaker_of, turns


def _rule_spans(text: str, title: str | None) -> tuple[Article, list[Span]] | None:
    """Every quotation span with the rules' speaker (None when there is no quote at all)."""
    if not text:
        return None
    said = turns(text)
    if not said and not any(c in text for c in "\"“'‘"):
        return None
    spans = find_spans(text)
    if said:  # a transcript: a quotation inside a turn is part of that turn
        inside = {t.para_start for t in said}
        spans = [sp for sp in spans if sp.para_start not in inside]
    if not said and not any(word_count(sp.text) >= MIN_WORDS for sp in spans):
        return None
    art = Article(text, title)
    kept: list[Span] = []
    prev_end = 0
    for sp in spans:
        if word_count(sp.text) < MIN_WORDS and not continues(kept, sp, text):
            continue
        tail(art, sp)
        if sp.speaker is None:
            sp.lo = max(prev_end, sp.para_start)
            head(art, sp, sp.lo)
        if sp.speaker is None and sp.next_subject:
            sp.speaker, sp.how, sp.rule = sp.next_subject, "head", "tail.next-sentence"
        if sp.how == "tail" or not looks_like_title(sp.text):
            prev_end = sp.end  # a film title does not end the sentence's attribution
        kept.append(sp)
    they_continues(kept, art)
    same_sentence(kept, text)
    merged = merge_interrupted(kept, text)
    inherit_back(merged, text)
    inherit(merged, text)
    if any(sp.speaker is None for sp in merged):
        for sp in merged:
            if sp.speaker is None:
                implicit(art, sp)
        inherit(merged, text)
    if any(sp.speaker is None for sp in merged):
        for i, sp in enumerate(merged):
            if sp.speaker is None:
                sp.speaker = context_speaker(art, merged, i)
                if sp.speaker:
                    sp.how, sp.rule = "context", "context.scored"
        inherit(merged, text)
    if said:
        merged = sorted(merged + [_turn_span(art, t) for t in said], key=lambda sp: sp.start)
    return art, merged


def _turn_span(art: Article, t: Turn) -> Span:
    """A transcript turn as a quote of its speaker."""
    body = art.text[t.start : t.end].strip()
    who = art.name_speaker(speaker_of(t.label)) or speaker_of(t.label)
    return Span(
        t.start, t.end, body, t.para_start, t.end, who, how="transcript", rule="transcripts.turn"
    )


def extract_quotes(text: str, *, title: str | None = None, max_key: int = 3) -> tuple[Quote, ...]:
    """Every direct quotation of 4+ words with its speaker, best first, top ones ``key``."""
    found = _rule_spans(text, title)
    if found is None:
        return ()
    art, merged = found
    out: list[tuple[float, int, Quote]] = []
    for sp in merged:
        if not is_quote(sp, text):
            continue
        speaker = sp.speaker
        body = sp.text.strip().rstrip(",").strip()
        scored = Span(sp.start, sp.end, body, sp.para_start, sp.para_end, speaker)
        score = quote_score(scored, word_count(body), art, len(text))
        out.append((score, sp.start, Quote(body, speaker, how=sp.rule if speaker else "")))
    out.sort(key=lambda t: (-t[0], t[1]))
    key = choose_key([(s, q) for s, _, q in out], max_key)
    ranked = sorted(range(len(out)), key=lambda i: (i not in key, i))  # key quotes first
    return tuple(
        Quote(out[i][2].text, out[i][2].speaker, key=i in key, score=out[i][0], how=out[i][2].how)
        for i in ranked
    )
