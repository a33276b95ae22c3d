"""One storage suite, run on SQLite and on PostgreSQL (skipped with a reason when absent)."""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from adapters.base import ChannelRef, PostedMessage
from bot.storage import Storage
from bot.storage.migrate import head_revision
from digests.models import Article, Story
from tests import factories

GENERAL = ChannelRef("console", "local", "general")
OTHER = ChannelRef("slack", "T1", "C2")
T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def article(aid: str, title: str, text: str = "Body text.", **kw: Any) -> Article:
    return factories.article(aid, title, text, published=kw.pop("published", T0), **kw)


async def test_upgrade_is_repeatable_and_reaches_head(any_storage: Storage) -> None:
    await any_storage.upgrade()
    assert await any_storage.revision() == head_revision()


async def test_reingest_updates_instead_of_duplicating(any_storage: Storage) -> None:
    a = article("a1", "Harbour tunnel opens", tags=("Transport",))
    b = article("b1", "Council votes on budget")
    first = await any_storage.upsert_articles([a, b])
    again = await any_storage.upsert_articles([a, b])
    changed = await any_storage.upsert_articles(
        [dataclasses.replace(a, title="Harbour tunnel opens early")]
    )

    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert (changed.inserted, changed.updated) == (0, 1)
    assert await any_storage.count_articles() == 2
    stored = {x.id: x for x in await any_storage.load_articles()}
    assert stored["a1"].title == "Harbour tunnel opens early"
    assert stored["a1"].tags == ("Transport",)
    # the full-text index follows the update: the new word is found, once
    assert await any_storage.search("early") == ["a1"]


async def test_published_times_come_back_timezone_aware_in_utc(any_storage: Storage) -> None:
    berlin = timezone(timedelta(hours=1))
    await any_storage.upsert_articles(
        [article("t1", "Clock test", published=datetime(2026, 3, 1, 10, 0, tzinfo=berlin))]
    )
    (loaded,) = await any_storage.load_articles(["t1"])
    assert loaded.published == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert loaded.published.utcoffset() == timedelta(0)


async def test_full_text_search_matches_title_tags_and_text(any_storage: Storage) -> None:
    await any_storage.upsert_articles(
        [
            article(
                "x1",
                "Regulators approve new chip plant",
                "The plant makes memory for data centres.",
            ),
            article(
                "x2", "Flood barrier finished", "Engineers tested the gates.", tags=("Climate",)
            ),
            article(
                "x3", "Schools try tutoring software", "Teachers want a say in robots and tutors."
            ),
        ]
    )
    assert await any_storage.search("chip") == ["x1"]
    assert await any_storage.search("climate") == ["x2"]
    assert await any_storage.search("tutor") == ["x3"]  # stemmed: tutors/tutoring
    assert await any_storage.search("memory plant") == ["x1"]  # every word must match
    assert await any_storage.search("memory gates") == []


async def test_search_treats_user_input_as_words_not_query_syntax(any_storage: Storage) -> None:
    await any_storage.upsert_articles([article("q1", "AI or not", "Some text about AI.")])
    assert await any_storage.search('"AI" ( OR*') == ["q1"]
    assert await any_storage.search("'; DROP TABLE articles; --") == []
    assert await any_storage.search("  ") == []
    assert await any_storage.count_articles() == 1


async def test_saved_stories_give_reactions_their_title_outlet_and_topics(
    any_storage: Storage,
) -> None:
    a, b = article("abc123def", "Main"), article("zzz999", "Rewrite", source="other.org")
    await any_storage.upsert_articles([a, b])
    await any_storage.save_stories(
        [Story(id="abc123def", primary=a, summary="s", others=(b,), topics=("ai", "chips"))]
    )
    await any_storage.set_reaction(GENERAL, "abc123def", "u1", "fire", added=True)
    (stored,) = await any_storage.reactions(GENERAL)
    assert (stored.title, stored.source, stored.topics) == ("Main", "example.com", ("ai", "chips"))
    # a rebuilt story keeps its id and its reactions pick up the new topics
    await any_storage.save_stories(
        [Story(id="abc123def", primary=b, summary="s", others=(a,), topics=("chips",))]
    )
    (stored,) = await any_storage.reactions(GENERAL)
    assert (stored.title, stored.source, stored.topics) == ("Rewrite", "other.org", ("chips",))


async def test_subscriptions_belong_to_one_channel(any_storage: Storage) -> None:
    assert await any_storage.subscribe(GENERAL, ["ai", "climate", "ai"]) == ["ai", "climate"]
    assert await any_storage.subscribe(GENERAL, ["ai"]) == []
    await any_storage.subscribe(OTHER, ["sport"])
    assert await any_storage.unsubscribe(GENERAL, ["climate", "sport"]) == ["climate"]
    assert await any_storage.topics(GENERAL) == ["ai"]
    assert await any_storage.topics(OTHER) == ["sport"]


async def test_same_channel_from_two_processes_is_one_row(any_storage: Storage) -> None:
    second = Storage(any_storage.url, schema=any_storage.schema)
    try:
        assert await any_storage.channel_id(GENERAL) == await second.channel_id(GENERAL)
        assert len(await second.channels()) == 1
    finally:
        await second.aclose()


async def test_posted_messages_map_back_to_their_story(any_storage: Storage) -> None:
    await any_storage.record_posted(
        [PostedMessage(GENERAL, "m0"), PostedMessage(GENERAL, "m1", "story1")], delivery_key="d1"
    )
    await any_storage.record_posted(
        [PostedMessage(GENERAL, "m1", "story1")], delivery_key="d1"
    )  # retry
    assert await any_storage.story_for_message(GENERAL, "m1") == "story1"
    assert await any_storage.story_for_message(GENERAL, "m0") is None  # the digest header
    assert await any_storage.story_for_message(OTHER, "m1") is None  # same id, other channel
    assert await any_storage.posted_story_ids(GENERAL) == {"story1"}


async def test_posted_messages_are_found_by_story_ref_in_their_channel_only(
    any_storage: Storage,
) -> None:
    await any_storage.record_posted(
        [PostedMessage(GENERAL, "m1", "abc123ff"), PostedMessage(GENERAL, "m2", "abd999ee")]
    )
    await any_storage.record_posted(
        [PostedMessage(GENERAL, "m3", "abc123ff"), PostedMessage(OTHER, "x1", "abc777aa")]
    )
    found = await any_storage.posted_by_ref(GENERAL, "ABC1")
    assert [(m.message_id, m.story_id) for m in found] == [
        ("m3", "abc123ff"),
        ("m1", "abc123ff"),
    ]  # newest first
    assert {m.story_id for m in await any_storage.posted_by_ref(GENERAL, "ab")} == {
        "abc123ff",
        "abd999ee",
    }
    assert await any_storage.posted_by_ref(GENERAL, "abc7") == []  # posted, but to another channel
    assert await any_storage.posted_by_ref(GENERAL, "%") == []  # LIKE syntax is literal
    assert await any_storage.posted_by_ref(GENERAL, " ") == []


async def test_reactions_are_once_per_user_story_emoji_and_removal_deletes(
    any_storage: Storage,
) -> None:
    add = any_storage.set_reaction
    assert await add(GENERAL, "s1", "ann", "thumbsup", added=True, event_id="e1")
    assert not await add(
        GENERAL, "s1", "ann", "thumbsup", added=True, event_id="e1"
    )  # retried event
    assert not await add(
        GENERAL, "s1", "ann", "thumbsup", added=True, event_id="e2"
    )  # same reaction
    assert await add(GENERAL, "s1", "bob", "thumbsup", added=True, event_id="e3")
    assert len(await any_storage.reactions(GENERAL)) == 2
    assert await add(GENERAL, "s1", "ann", "thumbsup", added=False, event_id="e4")
    assert [r.user_id for r in await any_storage.reactions(GENERAL)] == ["bob"]
    assert await any_storage.reactions(OTHER) == []


async def test_processed_events_drop_platform_retries(any_storage: Storage) -> None:
    assert await any_storage.mark_event("slack", "Ev1")
    assert not await any_storage.mark_event("slack", "Ev1")
    assert await any_storage.mark_event("discord", "Ev1")  # ids are per platform


async def test_deleted_articles_leave_search(any_storage: Storage) -> None:
    await any_storage.upsert_articles([article("d1", "Orbital tug launches")])
    assert await any_storage.delete_articles(["d1"]) == 1
    assert await any_storage.search("orbital") == []
    assert await any_storage.count_articles() == 0


_UPGRADE_SCRIPT = """
import asyncio, sys
from bot.storage import Storage

async def main() -> None:
    storage = Storage(sys.argv[1], schema=sys.argv[2] or None)
    try:
        await storage.upgrade()
        print(await storage.revision())
    finally:
        await storage.aclose()

asyncio.run(main())
"""


def _race_upgrades(
    url: str, schema: str | None, n: int = 4
) -> list[subprocess.CompletedProcess[str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _UPGRADE_SCRIPT, url, schema or ""],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def test_processes_starting_together_on_sqlite_migrate_once(tmp_path: Path) -> None:
    done = _race_upgrades(f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}", None)
    assert [d.returncode for d in done] == [0] * 4, [d.stderr[-500:] for d in done]
    assert {d.stdout.strip() for d in done} == {head_revision()}


@pytest.mark.postgres
def test_processes_starting_together_on_postgres_migrate_once(
    postgres_schema: tuple[str, str],
) -> None:
    url, base = postgres_schema
    schema = f"{base}_race"

    async def admin(sql: str) -> None:
        storage = Storage(url)
        try:
            async with storage.engine.begin() as conn:
                await conn.execute(text(sql))
        finally:
            await storage.aclose()

    asyncio.run(admin(f'CREATE SCHEMA "{schema}"'))
    try:
        done = _race_upgrades(url, schema)
        assert [d.returncode for d in done] == [0] * 4, [d.stderr[-500:] for d in done]
        assert {d.stdout.strip() for d in done} == {head_revision()}
    finally:
        asyncio.run(admin(f'DROP SCHEMA "{schema}" CASCADE'))


async def test_storages_in_one_process_upgrade_concurrently(any_storage: Storage) -> None:
    others = [Storage(any_storage.url, schema=any_storage.schema) for _ in range(3)]
    try:
        await asyncio.gather(any_storage.upgrade(), *(o.upgrade() for o in others))
        assert {await o.revision() for o in others} == {head_revision()}
    finally:
        for o in others:
            await o.aclose()
