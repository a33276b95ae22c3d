"""One incremental update of the stories: queued article changes → only the stories they touch.

Why this gives what a full re-cluster gives (``digests.cluster`` keeps every weight a
function of one feature's document frequency, and a unit's size independent of any
other unit): adding, changing or removing a unit changes the score of a pair only when
both units hold one of the features whose frequency moved. So the stories to rebuild
are those of the changed units and of every unit holding such a feature (read from the
inverted index, and only for features rare enough to weigh anything); all other pairs
score what they scored, and were below the thresholds across stories. The touched
stories are regrouped with the global frequencies; every other row is left alone.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from digests.cluster import MAX_DF, Unit, group_units, representative, split_thin, unit_key, unit_of
from digests.models import Article, Story

from ..storage.story_index import IndexTransaction, IndexWrite, StoredArticle, story_content

BuildStory = Callable[[list[Article]], Story]


@dataclass(slots=True)
class Update:
    """What an update changed: stories to (re)place in memory, ids to drop."""

    stories: list[Story] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    changes: int = 0


async def apply_queued(
    tx: IndexTransaction,
    *,
    dialect: str,
    known: Mapping[str, Story],
    build: BuildStory,
    batch: int = 500,
) -> Update | None:
    """Apply up to ``batch`` queued changes; None when nothing was queued."""
    queue = await tx.queued(batch)
    if not queue:
        return None
    present = {s.article.id: s for s in await tx.articles(ids=[c.article_id for c in queue])}
    new_key = {aid: unit_key(s.article) for aid, s in present.items()}
    affected = {c.old_unit for c in queue if c.old_unit}
    affected |= set(new_key.values()) | {s.unit_key for s in present.values() if s.unit_key}

    write = IndexWrite(done=queue)
    members = await _unit_members(tx, affected, present, new_key)
    old_units = await tx.units(affected)
    units: dict[str, Unit] = {}
    for key in sorted(affected):
        old = old_units.get(key)
        of = set(old[0].features) if old else set()
        ms = members.get(key)
        if not ms:
            if old:
                write.drop_units.append(key)
                write.drop_postings += [(f, key) for f in sorted(of)]
            continue
        rep = representative(ms)
        if old is not None and old[1] == rep.id and rep.id not in present:
            units[key] = old[0]
            continue
        unit = await asyncio.to_thread(unit_of, rep, key=key)
        units[key] = unit
        if old is None or old != (unit, rep.id):
            write.put_units.append((unit, rep.id))
        nf = set(unit.features)
        write.drop_postings += [(f, key) for f in sorted(of - nf)]
        write.add_postings += [(f, key) for f in sorted(nf - of)]
    await tx.write_index(write, dialect=dialect)

    moved = Counter[int]()
    for f, _ in write.add_postings:
        moved[f] += 1
    for f, _ in write.drop_postings:
        moved[f] -= 1
    df_now = await tx.doc_freq(moved)
    weighed = [f for f, d in moved.items() if min(df_now[f], df_now[f] - d) <= MAX_DF]
    neighbours = {u for us in (await tx.postings(weighed)).values() for u in us}

    # the touched stories, closed over units and stories (a unit's articles, a story's units)
    scope = await _closure(
        tx, neighbours | affected, {c.old_story for c in queue if c.old_story}, present, new_key
    )
    keys = sorted({k for _, k, _ in scope.values() if k})
    stored_units = await tx.units(k for k in keys if k not in units)
    for k in keys:
        if k not in units:
            if k in stored_units:
                units[k] = stored_units[k][0]
            else:  # indexed article whose unit row is missing (should not happen): recompute
                rep = representative([a for a, uk, _ in scope.values() if uk == k])
                units[k] = unit_of(rep, key=k)
    ordered = [units[k] for k in keys]
    df = await tx.doc_freq(f for u in ordered for f in u.features)
    by_unit: dict[str, list[Article]] = defaultdict(list)
    for article, uk, _ in scope.values():
        by_unit[uk or ""].append(article)
    groups = await asyncio.to_thread(_groups, ordered, df, by_unit)

    previous = {aid: sid for aid, (_, _, sid) in scope.items() if sid}
    for c in queue:
        if c.article_id in previous or c.old_story is None:
            continue
        previous[c.article_id] = c.old_story
    touched = set(previous.values())
    candidates = set(touched) | {min(g, key=_published_key).id for g in groups}
    taken = await tx.existing_story_ids(candidates - touched)
    update = Update(changes=len(queue))
    placed: dict[str, str] = {}
    changed_content = set(present)
    for group in groups:
        ids = {a.id for a in group}
        reuse = _same_story(group, previous, known, changed_content)
        story = reuse if reuse is not None else await asyncio.to_thread(build, group)
        story = _keep_id(story, group, previous, taken)
        taken.add(story.id)
        for a in group:
            placed[a.id] = story.id
        if reuse is None or reuse.id != story.id or ids != {a.id for a in known[story.id].articles}:
            update.stories.append(story)
        elif story.id in known:
            pass  # the same story, unchanged: no row written
    new_ids = set(placed.values())
    update.dropped = sorted(touched - new_ids)
    write.put_stories = [s for s in update.stories if _row(s) != _row(known.get(s.id))]
    write.drop_stories = update.dropped
    for article, uk, sid in scope.values():
        target = (unit_key(article) if article.id in present else uk, placed[article.id])
        if (uk, sid) != target or article.id in present:
            write.links[article.id] = target
    await tx.write_stories(write, dialect=dialect)
    return update


async def _unit_members(
    tx: IndexTransaction,
    keys: set[str],
    present: Mapping[str, StoredArticle],
    new_key: Mapping[str, str],
) -> dict[str, list[Article]]:
    """The articles of each unit after the change (changed ones under their new key)."""
    members: dict[str, list[Article]] = defaultdict(list)
    for s in await tx.articles(unit_keys=sorted(keys)):
        if s.article.id not in present and s.unit_key:
            members[s.unit_key].append(s.article)
    for aid, s in present.items():
        members[new_key[aid]].append(s.article)
    return members


async def _closure(
    tx: IndexTransaction,
    unit_keys: set[str],
    story_ids: set[str],
    present: Mapping[str, StoredArticle],
    new_key: Mapping[str, str],
) -> dict[str, tuple[Article, str | None, str | None]]:
    """id → (article, unit key after the change, story before it), for every article of the
    given units and stories, and of the units and stories those articles are in."""
    found: dict[str, tuple[Article, str | None, str | None]] = {
        aid: (s.article, new_key[aid], s.story_id) for aid, s in present.items()
    }
    seen_units: set[str] = set()
    seen_stories: set[str] = set()
    todo_units = set(unit_keys) | set(new_key.values())
    todo_stories = set(story_ids) | {s.story_id for s in present.values() if s.story_id}
    while todo_units or todo_stories:
        seen_units |= todo_units
        seen_stories |= todo_stories
        rows = await tx.articles(unit_keys=sorted(todo_units), story_ids=sorted(todo_stories))
        todo_units, todo_stories = set(), set()
        for s in rows:
            if s.article.id in present:
                continue
            found.setdefault(s.article.id, (s.article, s.unit_key, s.story_id))
            if s.unit_key and s.unit_key not in seen_units:
                todo_units.add(s.unit_key)
            if s.story_id and s.story_id not in seen_stories:
                todo_stories.add(s.story_id)
    return found


def _groups(
    units: list[Unit], df: Mapping[int, int], by_unit: Mapping[str, list[Article]]
) -> list[list[Article]]:
    groups: list[list[Article]] = []
    for component in group_units(units, df):
        parts = [
            split_thin(units[i], sorted(by_unit[units[i].key], key=lambda a: a.id))
            for i in component
        ]
        groups.append([a for p in parts for a in p[0]])
        groups.extend(part for p in parts for part in p[1:])
    return groups


def _same_story(
    group: list[Article],
    previous: Mapping[str, str],
    known: Mapping[str, Story],
    changed: set[str],
) -> Story | None:
    """The story already built for exactly these unchanged articles, if any."""
    if any(a.id in changed for a in group):
        return None
    sid = previous.get(group[0].id)
    story = known.get(sid) if sid else None
    if story is None or {a.id for a in story.articles} != {a.id for a in group}:
        return None
    return story


def _keep_id(
    story: Story, group: list[Article], previous: Mapping[str, str], taken: set[str]
) -> Story:
    """The id its earliest member's story had (stories keep their ids), else the engine's;
    never one another story holds."""
    import dataclasses

    for article in sorted(group, key=_published_key):
        old = previous.get(article.id)
        if old and old not in taken:
            return story if story.id == old else dataclasses.replace(story, id=old)
    if story.id not in taken:
        return story
    n = 2
    while f"{story.id}-{n}" in taken:
        n += 1
    return dataclasses.replace(story, id=f"{story.id}-{n}")


def _row(story: Story | None) -> tuple[object, ...] | None:
    """What a story's row holds (so an unchanged story's row is not written again)."""
    if story is None:
        return None
    return (story.id, story.title, story.source, story_content(story))


def _published_key(article: Article) -> tuple[datetime, str]:
    return (article.published or datetime.max.replace(tzinfo=UTC), article.id)
