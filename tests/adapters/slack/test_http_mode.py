"""HTTP mode: signed slash commands and events over the aiohttp route, as Slack sends them."""

from __future__ import annotations

import json
import time

from adapters.base import Reply
from tests.fakes.slack import FakeSlack, sign

from .helpers import Recorder, adapter_for, http_config

FORM = "application/x-www-form-urlencoded"


def _url(adapter) -> str:  # type: ignore[no-untyped-def]
    return f"http://127.0.0.1:{adapter.http_port}/slack/events"


async def test_signed_slash_command_is_answered_through_response_url() -> None:
    async with FakeSlack() as fake:
        recorder = Recorder(Reply("Stats: 3 stories"))
        adapter = adapter_for(http_config(fake), recorder)
        await adapter.start()
        try:
            status, _ = await fake.post_signed(
                _url(adapter), fake.form(fake.command_payload("stats")), content_type=FORM
            )
            await fake.wait_for(lambda: len(fake.responses) == 1)
        finally:
            await adapter.aclose()
    assert status == 200
    assert recorder.commands[0].text == "stats"
    assert "Stats: 3 stories" in fake.responses[0]["text"]


async def test_bad_signature_and_stale_timestamp_are_rejected_without_running_the_command() -> None:
    async with FakeSlack() as fake:
        recorder = Recorder()
        adapter = adapter_for(http_config(fake), recorder)
        await adapter.start()
        try:
            body = fake.form(fake.command_payload("unsubscribe ai"))
            forged, _ = await fake.post_signed(
                _url(adapter), body, content_type=FORM, secret="wrong-secret"
            )
            old = int(time.time()) - 600  # a captured request replayed ten minutes later
            replayed, _ = await fake.post_signed(
                _url(adapter), body, content_type=FORM, timestamp=old
            )
            tampered, _ = await fake.post_signed(
                _url(adapter),
                body.replace("unsubscribe", "subscribe"),
                content_type=FORM,
                signature=sign(body, int(time.time())),
            )
        finally:
            await adapter.aclose()
    assert (forged, replayed, tampered) == (401, 401, 401)
    assert recorder.commands == []
    assert fake.responses == []


async def test_event_retried_with_retry_num_is_applied_once() -> None:
    async with FakeSlack() as fake:
        recorder = Recorder()
        adapter = adapter_for(http_config(fake), recorder)
        await adapter.start()
        try:
            body = json.dumps(fake.reaction_payload(ts="1700000001.000001", event_id="EvRetry"))
            first, _ = await fake.post_signed(_url(adapter), body, content_type="application/json")
            await recorder.wait(lambda: len(recorder.reactions) == 1)
            again, _ = await fake.post_signed(
                _url(adapter), body, content_type="application/json", retry_num=1
            )
            other = json.dumps(fake.reaction_payload(ts="1700000001.000002", event_id="EvNext"))
            await fake.post_signed(_url(adapter), other, content_type="application/json")
            await recorder.wait(lambda: len(recorder.reactions) == 2)
        finally:
            await adapter.aclose()
    assert (first, again) == (200, 200)
    assert [r.event_id for r in recorder.reactions] == ["EvRetry", "EvNext"]


async def test_url_verification_challenge_is_answered() -> None:
    async with FakeSlack() as fake:
        adapter = adapter_for(http_config(fake), Recorder())
        await adapter.start()
        try:
            body = json.dumps(
                {"type": "url_verification", "challenge": "xyz123", "token": "legacy"}
            )
            status, text = await fake.post_signed(
                _url(adapter), body, content_type="application/json"
            )
        finally:
            await adapter.aclose()
    assert status == 200 and "xyz123" in text


async def test_http_ack_does_not_wait_for_a_slow_handler() -> None:
    import asyncio

    release = asyncio.Event()
    async with FakeSlack() as fake:
        recorder = Recorder(Reply("done"), block=release)
        adapter = adapter_for(http_config(fake), recorder)
        await adapter.start()
        try:
            body = fake.form(fake.command_payload("ai"))
            # the 200 (Slack's ack) comes back while the handler is still blocked
            status, _ = await asyncio.wait_for(
                fake.post_signed(_url(adapter), body, content_type=FORM), 2
            )
            assert status == 200 and fake.responses == []
            release.set()
            await fake.wait_for(lambda: len(fake.responses) == 1)
        finally:
            await adapter.aclose()
    assert fake.responses[0]["text"] == "done"
