"""Posting digests and stories: pacing, 429/5xx handling, permanent errors, exactly once."""

from __future__ import annotations

import asyncio
import itertools
import json
import re

import pytest

from adapters.base import ChannelRef, DeliveryError
from tests.fakes.slack import TEAM_ID, Failure, FakeSlack

from .helpers import Recorder, VirtualClock, adapter_for, digest, socket_config, story


def _channel(name: str = "C1") -> ChannelRef:
    return ChannelRef("slack", TEAM_ID, name)


async def _started(fake: FakeSlack, clock: VirtualClock | None = None, **over: object):  # type: ignore[no-untyped-def]
    kw = {"clock": clock, "sleep": clock.sleep} if clock else {}
    adapter = adapter_for(socket_config(fake, **over), Recorder(), **kw)
    await adapter.start()
    return adapter


async def test_digest_lands_as_header_then_one_message_per_story_paced_one_per_second() -> None:
    clock = VirtualClock()
    async with FakeSlack(clock=clock) as fake:
        adapter = await _started(fake, clock, min_interval=1.0)
        try:
            posted = await adapter.send(_channel(), digest(3), idempotency_key="C1@2026-11-03T08")
        finally:
            await adapter.aclose()
    messages = fake.posted("C1")
    assert [m["ts"] for m in messages] == [p.message_id for p in posted]
    assert [p.story_id for p in posted] == [None, "art0001abcdef", "art0002abcdef", "art0003abcdef"]
    assert messages[0]["blocks"][0]["type"] == "header"
    assert "Morning news" in messages[0]["text"]
    assert [m["metadata"]["event_payload"] for m in messages] == [
        {"key": "C1@2026-11-03T08", "part": i} for i in range(4)
    ]
    assert fake.rate_limited == 0  # paced, so Slack never had to say 429
    times = fake.post_times["C1"]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))


async def test_same_delivery_key_is_never_posted_twice() -> None:
    async with FakeSlack(rate_interval=0) as fake:
        adapter = await _started(fake)
        try:
            first = await adapter.send(_channel(), digest(2), idempotency_key="k1")
            again = await adapter.send(_channel(), digest(2), idempotency_key="k1")
        finally:
            await adapter.aclose()
    assert len(fake.posted("C1")) == 3
    assert again == first


async def test_resend_after_a_crash_mid_digest_posts_only_the_missing_parts() -> None:
    async with FakeSlack(rate_interval=0) as fake:
        adapter = await _started(fake, max_attempts=1)
        # the third message is posted but its answer is lost, as when the bot dies mid-delivery
        fake.failures.append(Failure("chat.postMessage", status=503, lose_response=True, skip=2))
        try:
            with pytest.raises(DeliveryError) as failed:
                await adapter.send(_channel(), digest(3), idempotency_key="slot-7")
            assert failed.value.permanent is False
            posted = await adapter.send(_channel(), digest(3), idempotency_key="slot-7")
        finally:
            await adapter.aclose()
    messages = fake.posted("C1")
    assert [m["metadata"]["event_payload"]["part"] for m in messages] == [0, 1, 2, 3]
    assert [p.message_id for p in posted] == [m["ts"] for m in messages]


async def test_first_attempt_reads_no_history_but_a_later_resend_still_skips_what_landed() -> None:
    async with FakeSlack(rate_interval=0) as fake:
        adapter = await _started(fake)
        try:
            first = await adapter.send(
                _channel(), digest(2), idempotency_key="slot-9", first_attempt=True
            )
            history_after_first = fake.history_calls
            again = await adapter.send(
                _channel(), digest(2), idempotency_key="slot-9"
            )  # claimed, unconfirmed
        finally:
            await adapter.aclose()
    assert history_after_first == 0  # a fresh fan-out costs no rate-limited history calls
    assert fake.history_calls == 1
    assert len(fake.posted("C1")) == 3 and again == first


async def test_first_attempt_whose_answer_is_lost_checks_history_before_posting_again() -> None:
    async with FakeSlack(rate_interval=0) as fake:
        adapter = await _started(fake)
        fake.failures.append(Failure("chat.postMessage", status=502, lose_response=True, skip=1))
        try:
            posted = await adapter.send(
                _channel(), digest(2), idempotency_key="k", first_attempt=True
            )
        finally:
            await adapter.aclose()
    assert [m["metadata"]["event_payload"]["part"] for m in fake.posted("C1")] == [0, 1, 2]
    assert [p.message_id for p in posted] == [m["ts"] for m in fake.posted("C1")]
    assert fake.history_calls == 1  # only for the ambiguous part


async def test_retry_after_a_lost_answer_does_not_post_twice() -> None:
    async with FakeSlack(rate_interval=0) as fake:
        adapter = await _started(fake)
        fake.failures.append(Failure("chat.postMessage", status=502, lose_response=True))
        try:
            posted = await adapter.send(_channel(), story(1), idempotency_key="k")
        finally:
            await adapter.aclose()
    assert len(fake.posted("C1")) == 1
    assert posted[0].message_id == fake.posted("C1")[0]["ts"]


async def test_429_retry_after_is_honoured() -> None:
    clock = VirtualClock()
    async with FakeSlack(clock=clock) as fake:
        fake.failures.append(
            Failure("chat.postMessage", status=429, error="ratelimited", retry_after=7)
        )
        adapter = await _started(fake, clock)
        try:
            posted = await adapter.send(_channel(), story(1), idempotency_key="k")
        finally:
            await adapter.aclose()
    assert len(posted) == 1 and len(fake.posted("C1")) == 1
    assert 7 in clock.slept


async def test_fake_enforced_rate_limit_is_survived_without_pacing() -> None:
    clock = VirtualClock()
    async with FakeSlack(clock=clock) as fake:
        adapter = await _started(
            fake, clock, min_interval=0.0
        )  # we ignore the rate, Slack pushes back
        try:
            await adapter.send(_channel(), digest(3), idempotency_key="k")
        finally:
            await adapter.aclose()
    assert fake.rate_limited >= 1
    assert len(fake.posted("C1")) == 4


async def test_500s_are_retried_with_backoff_and_delivered_once() -> None:
    clock = VirtualClock()
    async with FakeSlack(clock=clock) as fake:
        fake.failures.append(Failure("chat.postMessage", status=500, times=2))
        fake.failures.append(Failure("conversations.history", status=502, times=1))
        adapter = await _started(fake, clock, backoff_base=0.5)
        try:
            await adapter.send(_channel(), story(1), idempotency_key="k")
        finally:
            await adapter.aclose()
    assert len(fake.posted("C1")) == 1
    assert len(fake.calls_to("chat.postMessage")) == 3
    backoffs = [s for s in clock.slept if s > 0]
    assert (
        len(backoffs) == 3 and backoffs[2] > backoffs[1]
    )  # history retry, then growing post back-off


async def test_persistent_5xx_gives_up_as_a_retryable_delivery_error() -> None:
    async with FakeSlack(rate_interval=0) as fake:
        fake.failures.append(Failure("chat.postMessage", status=500, times=99))
        adapter = await _started(fake, max_attempts=3)
        try:
            with pytest.raises(DeliveryError) as failed:
                await adapter.send(_channel(), story(1), idempotency_key="k")
        finally:
            await adapter.aclose()
    assert failed.value.permanent is False
    assert len(fake.calls_to("chat.postMessage")) == 3


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
async def test_permanent_channel_errors_are_not_retried(error: str) -> None:
    async with FakeSlack(rate_interval=0) as fake:
        fake.channel_errors["CGONE"] = error
        adapter = await _started(fake)
        try:
            with pytest.raises(DeliveryError) as failed:
                await adapter.send(_channel("CGONE"), digest(2), idempotency_key="k")
        finally:
            await adapter.aclose()
    assert failed.value.permanent is True
    assert error in failed.value.reason
    assert len(fake.calls_to("conversations.history")) == 1
    assert fake.calls_to("chat.postMessage") == []


async def test_revoked_token_is_permanent() -> None:
    async with FakeSlack(rate_interval=0) as fake:
        adapter = await _started(fake)
        fake.failures.append(Failure("conversations.history", status=200, error="invalid_auth"))
        try:
            with pytest.raises(DeliveryError) as failed:
                await adapter.send(_channel(), story(1), idempotency_key="k")
        finally:
            await adapter.aclose()
    assert failed.value.permanent is True and "invalid_auth" in failed.value.reason


async def test_image_slack_cannot_fetch_is_dropped_instead_of_losing_the_story() -> None:
    async with FakeSlack(rate_interval=0) as fake:
        fake.failures.append(Failure("chat.postMessage", status=200, error="invalid_blocks"))
        adapter = await _started(fake)
        try:
            await adapter.send(
                _channel(), story(1, image="https://img.example.org/x.jpg"), idempotency_key="k"
            )
        finally:
            await adapter.aclose()
    first_try, second_try = fake.calls_to("chat.postMessage")
    assert "accessory" in first_try["blocks"][0]
    assert "accessory" not in second_try["blocks"][0]
    assert len(fake.posted("C1")) == 1


async def test_channels_are_served_concurrently() -> None:
    # Each channel is paced (one post per 0.2 s), so channels served one after another would
    # post in blocks of three; served concurrently, other channels post while the first one
    # waits out its pacing. (Fan-out time at scale: bench/bench_slack_fanout.py.)
    async with FakeSlack(rate_interval=0.2) as fake:
        adapter = await _started(fake, min_interval=0.2)
        try:
            await asyncio.gather(
                *(
                    adapter.send(_channel(f"C{i}"), digest(2), idempotency_key="k")
                    for i in range(10)
                )
            )
        finally:
            await adapter.aclose()
    assert all(len(fake.posted(f"C{i}")) == 3 for i in range(10))
    assert fake.rate_limited == 0
    order = [call["channel"] for call in fake.calls_to("chat.postMessage")]
    assert len(set(order[:3])) == 3, order


async def test_article_text_cannot_mention_anyone_or_fake_a_link() -> None:
    hostile = story(
        1,
        title="<!channel> Breaking & <https://evil.example|your bank>",
        summary="Hi <@U123ABC> and <!here|here>, see <#C999> or <!subteam^S1|@team>.",
        source="<!everyone>",
        url="javascript:alert(1)",
        others=1,
    )
    async with FakeSlack(rate_interval=0) as fake:
        adapter = await _started(fake)
        try:
            await adapter.send(_channel(), hostile, idempotency_key="k")
        finally:
            await adapter.aclose()
    sent = fake.calls_to("chat.postMessage")[0]
    payload = json.dumps({"text": sent["text"], "blocks": sent["blocks"]})
    for marker in ("<!", "<@", "<#", "<https://evil", "javascript:"):
        assert marker not in payload
    assert re.findall(r"<([^|>]+)\|", payload) == [
        "https://example.org/news/110"
    ]  # only our also-covered-by link
    assert "&lt;!channel&gt; Breaking &amp;" in payload
    assert sent["link_names"] in (False, "0", "false", 0)
