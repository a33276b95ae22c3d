"""Reactions as feedback: normalised emoji, idempotent events, bounded per-user influence,
and a ranking that moves toward what the channel liked."""

from __future__ import annotations

import pytest

from adapters.base import PostedMessage, ReactionEvent
from bot.feedback import (
    MAX_BOOST,
    ReactionLike,
    apply_reaction,
    emoji_key,
    emoji_weight,
    score_reactions,
)
from bot.settings import DEFAULT_REACTIONS
from bot.storage import Storage
from digests.engine import build_stories, rank

from .helpers import ARTICLES, GENERAL, T0


@pytest.mark.parametrize(
    ("emoji", "key", "weight"),
    [
        (":thumbsup:", "thumbsup", 1),
        ("+1", "+1", 1),
        ("thumbsup::skin-tone-4", "thumbsup", 1),
        ("👍🏽", "👍", 1),
        ("❤️", "❤", 1),
        (":FIRE:", "fire", 1),
        ("👎", "👎", -1),
        ("sleeping", "sleeping", -1),
        ("x", "x", -1),
        ("unicorn_face", "unicorn_face", 0),
        ("partyparrot:1234", "partyparrot:1234", 0),
    ],
)
def test_emoji_spellings_map_to_one_key_and_weight(emoji: str, key: str, weight: int) -> None:
    assert emoji_key(emoji) == key
    assert emoji_weight(emoji, DEFAULT_REACTIONS) == weight


def test_custom_weights_apply_to_custom_emoji_by_name() -> None:
    assert emoji_weight("partyparrot:1234", {"partyparrot": 1}) == 1


def r(
    user: str,
    story: str,
    emoji: str = "thumbsup",
    topics: tuple[str, ...] = ("ai",),
    source: str = "a.com",
) -> ReactionLike:
    return ReactionLike(story, user, emoji, f"title {story}", source, topics)


def test_one_loud_user_counts_at_most_once_per_topic() -> None:
    loud = score_reactions([r("ann", f"s{i}") for i in range(10)], DEFAULT_REACTIONS)
    three = score_reactions([r(u, "s1") for u in ("ann", "bob", "cy")], DEFAULT_REACTIONS)
    assert loud.topics["ai"] == 1.0 and loud.outlets["a.com"] == 1.0
    assert three.topics["ai"] == 3.0


def test_a_users_likes_and_dislikes_on_a_topic_cancel_out() -> None:
    scores = score_reactions([r("ann", "s1"), r("ann", "s2", "thumbsdown")], DEFAULT_REACTIONS)
    assert scores.topics.get("ai", 0.0) == 0.0
    assert scores.stories == {"s1": 1.0, "s2": -1.0}


def test_unknown_emoji_are_kept_but_neutral() -> None:
    scores = score_reactions([r("ann", "s1", "unicorn_face")], DEFAULT_REACTIONS)
    assert scores.reactions == 1 and scores.emoji_counts == {"unicorn_face": 1}
    assert scores.topics == {} and scores.people == 0


def test_boost_is_bounded_however_many_people_react() -> None:
    story = build_stories([ARTICLES[0]])[0]
    crowd_up = score_reactions(
        [r(f"u{i}", "x", topics=story.topics, source=story.source or "") for i in range(500)],
        DEFAULT_REACTIONS,
    )
    crowd_down = score_reactions(
        [
            r(f"u{i}", "x", "thumbsdown", topics=story.topics, source=story.source or "")
            for i in range(500)
        ],
        DEFAULT_REACTIONS,
    )
    assert 0.29 < crowd_up.adjustment(story) <= MAX_BOOST
    assert -MAX_BOOST <= crowd_down.adjustment(story) < -0.29
    # what rank actually adds stays within ±MAX_BOOST of the score
    plain = rank([story], now=T0)[0].score
    assert rank([story], now=T0, boost=crowd_up.boost)[0].score - plain == pytest.approx(
        crowd_up.adjustment(story), abs=1e-5
    )


def test_feedback_moves_liked_topics_up_and_disliked_down() -> None:
    stories = build_stories(ARTICLES)
    coast = next(s for s in stories if s.primary.id == ARTICLES[2].id)  # climate, 1 h old
    robots = next(s for s in stories if s.primary.id == ARTICLES[0].id)  # ai, 2 h old
    assert [s.id for s in rank([coast, robots], now=T0)] == [coast.id, robots.id]

    # two people liked other AI stories; one disliked another climate story
    liked = [
        r("ann", "other-ai", topics=("ai",), source="campus.example.org"),
        r("bob", "other-ai", topics=("ai",), source="campus.example.org"),
        r("cy", "other-climate", "thumbsdown", topics=("climate",), source="energy.example.com"),
    ]
    scores = score_reactions(liked, DEFAULT_REACTIONS)
    assert [s.id for s in rank([coast, robots], now=T0, boost=scores.boost)] == [
        robots.id,
        coast.id,
    ]
    # the opposite feedback keeps the climate story on top, further ahead
    flipped = score_reactions([r("ann", "x", "thumbsdown", topics=("ai",))], DEFAULT_REACTIONS)
    ranked = rank([coast, robots], now=T0, boost=flipped.boost)
    assert [s.id for s in ranked] == [coast.id, robots.id]
    assert (
        ranked[0].score - ranked[1].score
        > rank([coast, robots], now=T0)[0].score - rank([coast, robots], now=T0)[1].score
    )


async def test_reaction_events_apply_once_and_removal_undoes(sqlite_storage: Storage) -> None:
    await sqlite_storage.record_posted(
        [PostedMessage(GENERAL, "hdr"), PostedMessage(GENERAL, "m1", "story-1")], delivery_key="d"
    )

    def event(
        eid: str, added: bool = True, message: str = "m1", emoji: str = ":thumbsup:"
    ) -> ReactionEvent:
        return ReactionEvent(GENERAL, message, "ann", emoji, added, event_id=eid)

    assert await apply_reaction(sqlite_storage, event("e1"))
    assert not await apply_reaction(sqlite_storage, event("e1"))  # platform retry
    assert [x.emoji for x in await sqlite_storage.reactions(GENERAL)] == ["thumbsup"]
    assert await apply_reaction(sqlite_storage, event("e2", added=False, emoji="thumbsup"))
    assert await sqlite_storage.reactions(GENERAL) == []
    # reactions on the digest header are ignored; on a message not recorded they are only
    # held (until it is recorded, or they expire: tests/bot/test_held_reactions.py)
    assert not await apply_reaction(sqlite_storage, event("e3", message="hdr"))
    assert await apply_reaction(sqlite_storage, event("e4", message="someone-elses"))
    assert await sqlite_storage.reactions(GENERAL) == []


def test_one_emoji_is_counted_under_one_name_however_it_was_spelled() -> None:
    spellings = [":thumbsup:", "thumbsup", "+1", "👍", "👍🏽", "heart", "❤️", "partyparrot"]
    scores = score_reactions(
        [r(f"u{i}", "s", e) for i, e in enumerate(spellings)], DEFAULT_REACTIONS
    )
    assert scores.emoji_counts == {"👍": 5, "❤": 2, "partyparrot": 1}
