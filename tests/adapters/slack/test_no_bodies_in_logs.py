"""HTTP mode: a request Slack's signature check rejects is logged without its body — no
verification token, no response_url, no text — at INFO and at DEBUG."""

from __future__ import annotations

import json
import logging

import pytest

from adapters.slack.redact import redact
from tests.fakes.slack import FakeSlack

from .helpers import Recorder, adapter_for, http_config

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
async def test_a_rejected_request_body_never_reaches_the_logs(
    caplog: pytest.LogCaptureFixture, level: int
) -> None:
    caplog.set_level(level)
    async with FakeSlack() as fake:
        adapter = adapter_for(http_config(fake), Recorder())
        await adapter.start()
        try:
            url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
            event = fake.reaction_payload(ts="1.000001")
            event["token"] = "verif-TOKEN-1234"
            forged_event, _ = await fake.post_signed(
                url, json.dumps(event), content_type="application/json", secret="wrong-secret"
            )
            other = fake.command_payload("secret-plans", command="/other")  # not ours: bolt's
            other["token"] = "verif-TOKEN-1234"
            forged_form, _ = await fake.post_signed(
                url, fake.form(other), content_type=FORM, secret="wrong-secret"
            )
        finally:
            await adapter.aclose()
    assert (forged_event, forged_form) == (401, 401)
    logged = caplog.text
    assert "Invalid request signature" in logged  # the rejection itself is still visible
    for secret in ("verif-TOKEN-1234", "/response/", "secret-plans"):
        assert secret not in logged


def test_tokens_and_response_urls_are_masked_in_any_message() -> None:
    assert redact('{"token": "abc", "response_url": "https://hooks.slack.com/x"}') == (
        '{"token": "[redacted]", "response_url": "[redacted]"}'
    )
    assert redact("token=abc&team_id=T1") == "token=[redacted]&team_id=T1"
    assert redact("nothing to hide") == "nothing to hide"
