"""Delivery-only mode: an incoming webhook, no bot token, no commands."""

from __future__ import annotations

import pytest

from adapters.base import ChannelRef, DeliveryError
from adapters.slack import SlackAdapter, SlackConfig
from tests.fakes.slack import Failure, FakeSlack

from .helpers import Recorder, VirtualClock, digest


def _adapter(fake: FakeSlack, clock: VirtualClock) -> SlackAdapter:
    recorder = Recorder()
    config = SlackConfig(webhook_url=fake.webhook_url, min_interval=1.0, backoff_base=0.01)
    return SlackAdapter(
        config, recorder.on_command, recorder.on_reaction, clock=clock, sleep=clock.sleep
    )


async def test_webhook_posts_the_digest_in_order_without_touching_the_web_api() -> None:
    clock = VirtualClock()
    async with FakeSlack(clock=clock) as fake:
        adapter = _adapter(fake, clock)
        await adapter.start()
        try:
            posted = await adapter.send(
                ChannelRef("slack", "T", "webhook"), digest(2), idempotency_key="d1"
            )
        finally:
            await adapter.aclose()
    assert adapter.mode == "webhook"
    assert [p["blocks"][0]["type"] for p in fake.webhook_posts] == ["header", "section", "section"]
    assert [p.story_id for p in posted] == [None, "art0001abcdef", "art0002abcdef"]
    assert fake.calls_to("chat.postMessage") == [] and fake.rate_limited == 0


async def test_webhook_429_and_500_are_retried() -> None:
    clock = VirtualClock()
    async with FakeSlack(clock=clock) as fake:
        fake.failures += [
            Failure("webhook", status=429, retry_after=3),
            Failure("webhook", status=500),
        ]
        adapter = _adapter(fake, clock)
        await adapter.start()
        try:
            await adapter.send(ChannelRef("slack", "T", "webhook"), digest(1), idempotency_key="d1")
        finally:
            await adapter.aclose()
    assert len(fake.webhook_posts) == 2
    assert 3 in clock.slept


async def test_revoked_webhook_is_a_permanent_error() -> None:
    clock = VirtualClock()
    async with FakeSlack(clock=clock) as fake:
        fake.failures.append(Failure("webhook", status=404, error="no_service"))
        adapter = _adapter(fake, clock)
        await adapter.start()
        try:
            with pytest.raises(DeliveryError) as failed:
                await adapter.send(
                    ChannelRef("slack", "T", "webhook"), digest(1), idempotency_key="d1"
                )
        finally:
            await adapter.aclose()
    assert failed.value.permanent is True and "no_service" in failed.value.reason


async def test_unreachable_webhook_fails_retryably_without_leaking_its_secret_url() -> None:
    clock = VirtualClock()
    secret = "http:///services/T000/B000/XXXXSECRETXXXX"  # malformed, as a bad copy-paste would be
    config = SlackConfig(webhook_url=secret, min_interval=1.0, backoff_base=0.01, max_attempts=2)
    recorder = Recorder()
    adapter = SlackAdapter(
        config, recorder.on_command, recorder.on_reaction, clock=clock, sleep=clock.sleep
    )
    await adapter.start()
    try:
        with pytest.raises(DeliveryError) as failed:
            await adapter.send(ChannelRef("slack", "T", "webhook"), digest(1), idempotency_key="d1")
    finally:
        await adapter.aclose()
    assert failed.value.permanent is False and "gave up after 2 attempts" in failed.value.reason
    assert "SECRET" not in failed.value.reason and "SLACK_WEBHOOK_URL" in failed.value.reason
    assert "SECRET" not in repr(config)
