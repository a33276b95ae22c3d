"""``NEWSBOT_LOG_FORMAT``: text for people, one JSON object per line for log shippers."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot.logs import setup_logging


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restore_root_logger")
def test_json_lines_carry_level_logger_message_extras_and_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging("INFO", fmt="json")
    log = logging.getLogger("newsbot.test")
    log.info("posted %d stories", 3, extra={"channel": "C1"})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("delivery crashed")
    lines = capsys.readouterr().err.strip().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO" and first["logger"] == "newsbot.test"
    assert first["msg"] == "posted 3 stories" and first["channel"] == "C1"
    assert first["ts"].endswith("+00:00")
    assert second["level"] == "ERROR" and "ValueError: boom" in second["exc"]


@pytest.mark.usefixtures("restore_root_logger")
def test_text_is_the_default_and_quiet_hides_info(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", quiet=True)
    logging.getLogger("newsbot.test").info("not shown")
    logging.getLogger("newsbot.test").warning("shown")
    err = capsys.readouterr().err
    assert "not shown" not in err
    assert "WARNING newsbot.test: shown" in err
