"""Reactions as feedback: what a channel liked, and how much that may move its ranking.

Each reaction is stored per (channel, story, user, emoji). Emoji map to +1/−1 via
``settings.newsbot_reactions`` (unknown emoji are kept but count 0). From a channel's
reactions we derive scores for stories, topics and outlets, where each person
contributes at most ±1 to any one key — so one loud user cannot take over — and the
ranking boost for a story is squashed with tanh into ±``MAX_BOOST``.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from adapters.base import PostedMessage, ReactionEvent
from bot.storage.delivery_reactions import HeldReactions
from digests.models import Story

from .storage import Storage

MAX_BOOST = 0.3  # the most feedback can add to (or take from) a story's rank score
# (recency alone is worth 0..1; rank multiplies the hook's value by its BOOST_WEIGHT)
USER_CAP = 1.0  # one person's total weight on one story/topic/outlet is clamped to ±this
SCALE = 3.0  # raw feedback of ±SCALE gives ~76% of MAX_BOOST

_SKIN_TONE = "::skin-tone-"


def emoji_key(emoji: str) -> str:
    """One spelling per emoji: ``:thumbsup:`` → ``thumbsup``, ``👍🏽`` → ``👍``, ``❤️`` → ``❤``.

    Discord custom emoji (``name:id``) keep their id so two servers' ``:party:`` differ.
    """
    value = emoji.strip()
    if _SKIN_TONE in value:
        value = value.split(_SKIN_TONE, 1)[0]
    if value.startswith(":") and value.endswith(":") and len(value) > 2:
        value = value[1:-1]
    value = "".join(
        ch
        for ch in value
        if ch != "\ufe0f" and not (0x1F3FB <= ord(ch) <= 0x1F3FF)  # variation selector, skin tones
    )
    return unicodedata.normalize("NFC", value).lower() if value.isascii() else value


# Slack/Discord shortcode → the emoji people see, for counting one emoji under one name.
# Covers the default reaction set and a few everyday ones; other names stay as they are.
_SHORTCODE_GLYPHS: dict[str, str] = {
    "+1": "👍",
    "thumbsup": "👍",
    "-1": "👎",
    "thumbsdown": "👎",
    "fire": "🔥",
    "heart": "❤",
    "tada": "🎉",
    "white_check_mark": "✅",
    "sleeping": "😴",
    "x": "❌",
    "eyes": "👀",
    "rocket": "🚀",
    "clap": "👏",
    "100": "💯",
    "joy": "😂",
    "thinking_face": "🤔",
    "thinking": "🤔",
}


def emoji_label(emoji: str) -> str:
    """How a reaction is counted and shown: its :func:`emoji_key`, as the glyph when one is
    known, so ``:thumbsup:``, ``+1``, ``👍`` and ``👍🏽`` are one ``👍``."""
    key = emoji_key(emoji)
    return _SHORTCODE_GLYPHS.get(key, key)


def emoji_weight(emoji: str, weights: Mapping[str, int]) -> int:
    """+1, −1, or 0 for emoji nobody configured."""
    key = emoji_key(emoji)
    for candidate in (key, emoji.strip(), key + "\ufe0f"):
        if candidate in weights:
            return int(weights[candidate])
    # Discord custom emoji: name:id — match the configured name
    name = key.split(":", 1)[0]
    return int(weights.get(name, 0))


def _clamp(value: float) -> float:
    return max(-USER_CAP, min(USER_CAP, value))


@dataclass(frozen=True, slots=True)
class ReactionLike:
    """What scoring needs from a stored reaction (``bot.storage.StoredReaction`` has the same fields)."""

    story_id: str
    user_id: str
    emoji: str
    title: str | None
    source: str | None
    topics: tuple[str, ...]


class _Reaction(Protocol):
    @property
    def story_id(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def emoji(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def topics(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class FeedbackScores:
    """A channel's feedback, summarised. ``boost`` plugs into ``digests.engine.rank``."""

    stories: dict[str, float] = field(default_factory=dict)
    topics: dict[str, float] = field(default_factory=dict)
    outlets: dict[str, float] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    reactions: int = 0
    people: int = 0
    emoji_counts: dict[str, int] = field(default_factory=dict)

    def raw(self, story: Story) -> float:
        """Unsquashed feedback: liked topics and outlet, plus direct reactions to the story."""
        total = sum(self.topics.get(t, 0.0) for t in story.topics)
        total += self.outlets.get(story.source or "", 0.0)
        total += self.stories.get(story.id, 0.0)
        return total

    def adjustment(self, story: Story) -> float:
        """What feedback adds to the story's rank score, in [−MAX_BOOST, +MAX_BOOST]."""
        return MAX_BOOST * math.tanh(self.raw(story) / SCALE)

    def boost(self, story: Story) -> float:
        """The ``boost`` hook of ``digests.engine.rank`` (which scales it by BOOST_WEIGHT)."""
        from digests.engine import BOOST_WEIGHT

        return self.adjustment(story) / BOOST_WEIGHT

    def top(self, which: str, n: int = 5) -> list[tuple[str, float]]:
        scores: dict[str, float] = getattr(self, which)
        return sorted(
            ((k, v) for k, v in scores.items() if v), key=lambda kv: (-abs(kv[1]), -kv[1], kv[0])
        )[:n]

    def to_dict(self) -> dict[str, Any]:
        return {
            "reactions": self.reactions,
            "people": self.people,
            "emoji": dict(sorted(self.emoji_counts.items(), key=lambda kv: -kv[1])),
            "stories": [
                {"id": sid, "ref": sid[:6], "title": self.titles.get(sid), "score": score}
                for sid, score in self.top("stories", 50)
            ],
            "topics": [
                {"topic": t, "score": s, "boost": round(MAX_BOOST * math.tanh(s / SCALE), 4)}
                for t, s in self.top("topics", 50)
            ],
            "outlets": [
                {"outlet": o, "score": s, "boost": round(MAX_BOOST * math.tanh(s / SCALE), 4)}
                for o, s in self.top("outlets", 50)
            ],
            "rule": {"max_boost": MAX_BOOST, "user_cap": USER_CAP, "scale": SCALE},
        }


def score_reactions(reactions: Iterable[_Reaction], weights: Mapping[str, int]) -> FeedbackScores:
    """Aggregate reactions into per-story/topic/outlet scores, each person capped per key."""
    per_user: dict[str, dict[tuple[str, str], float]] = defaultdict(lambda: defaultdict(float))
    titles: dict[str, str] = {}
    emoji_counts: dict[str, int] = defaultdict(int)
    count = 0
    for r in reactions:
        count += 1
        emoji_counts[emoji_label(r.emoji)] += 1
        if r.title:
            titles[r.story_id] = r.title
        w = emoji_weight(r.emoji, weights)
        if not w:
            continue
        mine = per_user[r.user_id]
        mine[("stories", r.story_id)] += w
        for topic in r.topics:
            mine[("topics", topic)] += w
        if r.source:
            mine[("outlets", r.source)] += w
    totals: dict[str, dict[str, float]] = {"stories": {}, "topics": {}, "outlets": {}}
    for mine in per_user.values():
        for (kind, key), value in mine.items():
            totals[kind][key] = totals[kind].get(key, 0.0) + _clamp(value)
    users = {uid for uid, mine in per_user.items() if mine}
    return FeedbackScores(
        stories=totals["stories"],
        topics=totals["topics"],
        outlets=totals["outlets"],
        titles=titles,
        reactions=count,
        people=len(users),
        emoji_counts=dict(emoji_counts),
    )


def describe_weights(weights: Mapping[str, int]) -> str:
    """One line: which emoji count for and against (unicode forms, as people see them)."""

    def shown(sign: int) -> str:
        names = [e for e, w in weights.items() if w == sign and not e.isascii()]
        names = names or [f":{e}:" for e, w in weights.items() if w == sign]
        return " ".join(dict.fromkeys(emoji_key(n) if not n.isascii() else n for n in names))

    return f"{shown(1) or '(none)'} count +1; {shown(-1) or '(none)'} count −1; other emoji are kept but neutral"


async def apply_reaction(storage: Storage, event: ReactionEvent) -> bool:
    """Record a platform reaction on one of our story messages.

    Reactions on headers are ignored; a repeated
    ``event_id`` changes nothing; removal undoes. A reaction on a message not recorded
    yet (its send has not returned) is held and applied when the message is recorded
    (see :mod:`bot.storage.delivery_reactions`). Returns whether anything changed or
    was held.
    """
    held = HeldReactions(storage)
    emoji = emoji_key(event.emoji)
    known, story_id = await held.lookup(event.channel, event.message_id)
    if not known:
        if not await held.hold(event, emoji):
            return False
        # the message may have been recorded between the look-up and the hold, after its
        # recorder looked for held reactions: look once more (applying is idempotent)
        await held.release([_posted(event)])
        return True
    if story_id is None:
        return False
    return bool(
        await storage.set_reaction(
            event.channel,
            story_id,
            event.user_id,
            emoji,
            added=event.added,
            event_id=event.event_id,
        )
    )


def _posted(event: Any) -> PostedMessage:
    return PostedMessage(event.channel, event.message_id)
