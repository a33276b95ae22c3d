"""The console adapter: lines in, handler calls and rendered output out, same protocol as chat."""

from __future__ import annotations

import io

import pytest

from adapters.base import Adapter, ChannelRef, CommandRequest, PostedMessage, ReactionEvent, Reply
from adapters.console import ConsoleAdapter, ConsoleConfig
from adapters.console.lines import CommandLine, Quit, ReactionLine, Unknown, parse_line
from digests.models import Digest, Story
from tests import factories


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("/news ai", CommandLine("ai")),
        ("/news", CommandLine("")),
        ("  /news subscribe ai climate  ", CommandLine("subscribe ai climate")),
        ("+:thumbsup: 3f9a1c", ReactionLine(True, "thumbsup", "3f9a1c")),
        ("-:thumbsup: [3f9a1c]", ReactionLine(False, "thumbsup", "3f9a1c")),
        ("+👍 3f9a1c", ReactionLine(True, "👍", "3f9a1c")),
        ("quit", Quit()),
        ("hello bot", Unknown("hello bot")),
        ("/newsletter", Unknown("/newsletter")),
        ("", None),
        ("# a comment in a script", None),
    ],
)
def test_lines_mean_commands_reactions_or_quit(line: str, parsed: object) -> None:
    assert parse_line(line) == parsed


def story(sid: str, title: str) -> Story:
    return factories.story(
        factories.article(sid, title, published=None), quotes=[factories.quote()]
    )


class Recorder:
    def __init__(self) -> None:
        self.commands: list[CommandRequest] = []
        self.reactions: list[ReactionEvent] = []

    async def on_command(self, request: CommandRequest) -> Reply:
        self.commands.append(request)
        return Reply(
            text=f"you said {request.text!r}",
            stories=(story("cafe01aa", "Looked-up story"),),
            share_hint="share hint here",
        )

    async def on_reaction(self, event: ReactionEvent) -> None:
        self.reactions.append(event)


def make(lines: str) -> tuple[ConsoleAdapter, Recorder, io.StringIO]:
    rec, out = Recorder(), io.StringIO()
    adapter = ConsoleAdapter(
        ConsoleConfig(channel="news", user="ann", input=io.StringIO(lines), output=out),
        rec.on_command,
        rec.on_reaction,
    )
    return adapter, rec, out


async def test_it_implements_the_adapter_protocol() -> None:
    adapter, _, _ = make("")
    assert isinstance(adapter, Adapter) and adapter.name == "console"


async def test_commands_reach_the_handler_and_replies_are_printed_until_end_of_input() -> None:
    adapter, rec, out = make("/news ai\n/news stats\n")
    await adapter.start()
    await adapter.wait_closed()
    await adapter.aclose()
    assert [c.text for c in rec.commands] == ["ai", "stats"]
    first = rec.commands[0]
    assert (first.channel.platform, first.channel.channel, first.user_id, first.is_admin) == (
        "console",
        "news",
        "ann",
        True,
    )
    text = out.getvalue()
    assert "(only you) › you said 'ai'" in text
    assert "Looked-up story" in text and "ref cafe01" in text and "share hint here" in text


async def test_send_prints_a_digest_and_returns_a_header_plus_one_message_per_story() -> None:
    adapter, _, out = make("")
    digest = Digest(
        title="Morning digest",
        stories=(story("aaaa1111", "First story"), story("bbbb2222", "Second story")),
    )
    posted = await adapter.send(adapter.channel, digest, idempotency_key="k1")
    assert [p.story_id for p in posted] == [None, "aaaa1111", "bbbb2222"]
    assert len({p.message_id for p in posted}) == 3
    text = out.getvalue()
    assert "posted to #news" in text and "Morning digest · 2 stories" in text
    assert text.index("First story") < text.index("Second story")
    assert "“We did the thing today” — Ann Lee" in text
    # a retried delivery with the same key shows nothing new and returns the same messages
    assert await adapter.send(adapter.channel, digest, idempotency_key="k1") == posted
    assert out.getvalue() == text


async def test_plus_and_minus_lines_react_to_the_posted_story_message() -> None:
    adapter, rec, out = make("+:thumbsup: aaaa11\n-:thumbsup: aaaa11\n+:fire: ffff99\n")
    posted = await adapter.send(
        adapter.channel, story("aaaa1111", "Posted story"), idempotency_key="k"
    )
    await adapter.start()
    await adapter.wait_closed()
    assert [(e.message_id, e.emoji, e.added) for e in rec.reactions] == [
        (posted[0].message_id, "thumbsup", True),
        (posted[0].message_id, "thumbsup", False),
    ]
    assert rec.reactions[0].event_id != rec.reactions[1].event_id
    assert "no story posted here has ref 'ffff99'" in out.getvalue()


async def test_article_text_is_never_read_as_rich_markup() -> None:
    adapter, _, out = make("")
    await adapter.send(
        adapter.channel, story("cccc3333", "[bold red]Shouting[/] headline"), idempotency_key="k"
    )
    assert "[bold red]Shouting[/] headline" in out.getvalue()


async def test_unknown_lines_get_a_hint_and_quit_stops_reading() -> None:
    adapter, rec, out = make("hello\nquit\n/news ai\n")
    await adapter.start()
    await adapter.wait_closed()
    assert "Type /news help" in out.getvalue()
    assert rec.commands == []  # nothing after quit


async def test_a_ref_posted_in_an_earlier_session_is_found_through_the_bots_record() -> None:
    rec, out = Recorder(), io.StringIO()
    asked: list[tuple[str, str]] = []

    async def find_posted(channel: ChannelRef, ref: str) -> list[PostedMessage]:
        asked.append((str(channel), ref))
        return (
            [PostedMessage(channel, "yesterday-7", "dddd4444")]
            if "dddd4444".startswith(ref)
            else []
        )

    adapter = ConsoleAdapter(
        ConsoleConfig(
            channel="news",
            user="ann",
            input=io.StringIO("+:fire: DDDD44\n+:fire: eeee55\n"),
            output=out,
        ),
        rec.on_command,
        rec.on_reaction,
        find_posted=find_posted,
    )
    await adapter.start()
    await adapter.wait_closed()
    assert [(e.message_id, e.emoji, e.added) for e in rec.reactions] == [
        ("yesterday-7", "fire", True)
    ]
    assert asked[0] == ("console:local:news", "dddd44")
    assert "reaction :fire: added on [dddd44]" in out.getvalue()
    assert "no story posted here has ref 'eeee55'" in out.getvalue()


async def test_two_refs_of_different_posted_stories_are_ambiguous() -> None:
    rec, out = Recorder(), io.StringIO()

    async def find_posted(channel: ChannelRef, ref: str) -> list[PostedMessage]:
        return [PostedMessage(channel, "m1", "abcd0001"), PostedMessage(channel, "m2", "abcd0002")]

    adapter = ConsoleAdapter(
        ConsoleConfig(channel="news", input=io.StringIO("+:fire: abcd\n"), output=out),
        rec.on_command,
        rec.on_reaction,
        find_posted=find_posted,
    )
    await adapter.start()
    await adapter.wait_closed()
    assert rec.reactions == []
    assert "more than one posted story matches ref 'abcd'" in out.getvalue()


async def test_message_ids_never_repeat_across_sessions() -> None:
    # the bot maps a message id back to the story it showed: a reused id would rate the wrong story
    first, _, _ = make("")
    second, _, _ = make("")
    one = await first.send(first.channel, story("aaaa1111", "Monday's story"), idempotency_key="k")
    two = await second.send(
        second.channel, story("bbbb2222", "Tuesday's story"), idempotency_key="k"
    )
    assert one[0].message_id != two[0].message_id


async def test_send_accepts_the_first_attempt_promise() -> None:
    adapter, _, out = make("")
    posted = await adapter.send(
        adapter.channel, story("aaaa1111", "Fresh story"), idempotency_key="new", first_attempt=True
    )
    assert [p.story_id for p in posted] == ["aaaa1111"] and "Fresh story" in out.getvalue()
