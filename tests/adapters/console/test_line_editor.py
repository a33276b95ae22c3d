"""The interactive console, driven through prompt_toolkit's pipe input as keys typed in a
terminal: Tab completes, ↑ recalls earlier lines (kept in a file across sessions)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from adapters.base import CommandRequest, ReactionEvent, Reply
from adapters.console import ConsoleAdapter, ConsoleConfig
from adapters.console.editor import LineEditor, open_history

UP = "\x1b[A"
TAB = "\t"
USAGES = {"subscribe": "/news subscribe <topic>...", "digest": "/news digest"}


@pytest.fixture
def keys() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


class Chat:
    def __init__(self) -> None:
        self.texts: list[str] = []

    async def on_command(self, request: CommandRequest) -> Reply:
        self.texts.append(request.text)
        return Reply(text=f"ok: `{request.text}`")

    async def on_reaction(self, event: ReactionEvent) -> None:
        pass


async def settle(editor: LineEditor, done: Callable[[Buffer], object]) -> None:
    """Let the prompt's tasks run until ``done(line buffer)`` (completion is a task, as
    in a terminal, so keys sent at once would overtake it)."""
    for _ in range(400):
        await asyncio.sleep(0.005)
        if done(editor.session.default_buffer):
            return
    raise AssertionError(f"the line stayed {editor.session.default_buffer.text!r}")


async def session(keys: PipeInput, typed: str, history: Path | None) -> tuple[Chat, str]:
    """Run one interactive console session on ``typed`` keys; the chat and what it printed."""
    chat, out = Chat(), io.StringIO()
    editor = LineEditor(usages=USAGES, topics=lambda: ["ai", "climate"], history=history)
    adapter = ConsoleAdapter(
        ConsoleConfig(channel="news", output=out), chat.on_command, chat.on_reaction, editor=editor
    )
    await adapter.start()
    # completion runs as a task, as in a terminal: let it finish before the next keys
    for i, chunk in enumerate(typed.split(TAB)):
        if i:
            await settle(editor, lambda b: b.text)  # the keys before Tab are in the line
            before = editor.session.default_buffer.text
            keys.send_text(TAB)
            await settle(editor, lambda b, was=before: b.text != was)  # and Tab changed it
        keys.send_text(chunk)
    await asyncio.wait_for(adapter.wait_closed(), 5)
    await adapter.aclose()
    return chat, out.getvalue()


async def test_tab_completes_a_subcommand_and_a_catalog_topic(
    keys: PipeInput, tmp_path: Path
) -> None:
    chat, out = await session(keys, f"/news sub{TAB} cli{TAB}\rquit\r", tmp_path / "h")
    assert chat.texts == ["subscribe climate"]
    assert "ok: subscribe climate" in out  # and the reply shows no chat backticks


async def test_up_recalls_lines_from_an_earlier_session(keys: PipeInput, tmp_path: Path) -> None:
    history = tmp_path / "state" / "newsbot" / "console_history"
    await session(keys, "/news digest\r/news subscribe ai\rquit\r", history)
    assert history.exists()  # its folder was created
    chat, _ = await session(
        keys, f"{UP}{UP}\rquit\r", history
    )  # ↑ ↑: two lines back ("quit" is one)
    assert chat.texts == ["subscribe ai"]


async def test_ctrl_d_ends_the_session_and_ctrl_c_drops_the_line(keys: PipeInput) -> None:
    chat, _ = await session(keys, "/news half-typed\x03/news digest\r\x04", None)
    assert chat.texts == ["digest"]


def test_an_unwritable_history_file_falls_back_to_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    history = open_history(blocker / "sub" / "history")  # parent is a file: cannot mkdir
    assert type(history).__name__ == "InMemoryHistory"
