"""A zoo of hostile and broken article files, built at test time in a temporary folder.

Each entry reproduces something that crashed, hung or exhausted the bot (issue 11):
YAML alias bombs, impossible dates, FIFOs, devices, sockets, symlink loops, links
out of the folder, names that are not UTF-8, deeply nested HTML, regex traps. Nothing
here is committed as a file: :func:`build_zoo` writes it all (and makes the FIFO,
socket and links) where it is told. ``bench/bench_hostile.py`` uses it too.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
from dataclasses import dataclass
from pathlib import Path

GOOD = """---
title: {title}
date: 2026-11-{day:02d}
source: https://good.example/{slug}
tags: [Zoo]
---
{title}. The council in Veldhaven approved the {slug} plan on Tuesday after a long debate, officials said.

“We have waited long enough,” the mayor told reporters. The plan costs about {day} million euros and starts next year.
"""


def good_article(n: int) -> str:
    return GOOD.format(
        title=f"Good article number {n} survives the zoo", day=1 + n % 28, slug=f"good-{n}"
    )


def _fm(extra: str, *, date: str = "2026-11-20", title: str = "Hostile file") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{extra}\n---\nBody text of a hostile file. It has a sentence.\n"


def alias_bomb(key: str) -> str:
    """The 755-byte "billion laughs" block of issue 11, under ``key``."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for c in "bcdefghij":
        lines.append(f"{c}: &{c} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = c
    return _fm("\n".join(lines) + f"\n{key}: *j")


def merge_bomb() -> str:
    lines = ["a: &a {k0: 1, k1: 2, k2: 3, k3: 4, k4: 5, k5: 6, k6: 7, k7: 8, k8: 9}"]
    prev = "a"
    for c in "bcdefgh":
        lines.append(f"{c}: &{c} {{<<: [" + ", ".join([f"*{prev}"] * 9) + "], z: 1}")
        prev = c
    return _fm("\n".join(lines))


@dataclass(frozen=True, slots=True)
class Zoo:
    """What was built: hostile entries (name → what their error must say) and good files."""

    hostile: dict[str, str]  # file name (as shown in errors) → expected error fragment
    good: list[str]  # file names of the good articles
    read_ok: dict[str, str]  # odd but readable files → the title they must get


# name → (content, expected error fragment); contents are str (UTF-8) or bytes
def _content_cases(big: bool) -> dict[str, tuple[str | bytes, str]]:
    deep = 400_000 if big else 100_000
    return {
        "bomb-author.md": (alias_bomb("author"), "expands to more than"),
        "bomb-unknown.md": (alias_bomb("bomb"), "expands to more than"),
        "bomb-merge.md": (merge_bomb(), "expands to more than"),
        "alias-recursive.md": (_fm("loop: &l [*l]"), "recursive YAML alias"),
        "yaml-deep.md": (_fm("x: " + "[" * 40 + "]" * 40), "nested more than"),
        "yaml-huge.md": (_fm("x: " + "a" * 70_000), "front matter is 68 KB"),
        "date-feb30.md": (_fm("", date="2025-02-30"), "impossible date '2025-02-30'"),
        "date-zero.md": (_fm("", date="0000-00-00"), "impossible date '0000-00-00'"),
        "date-13-45.md": (_fm("", date="2025-13-45"), "impossible date '2025-13-45'"),
        "date-9999.md": (_fm("", date="9999"), "date 9999 is a number, not a date"),
        "date-minus5.md": (_fm("", date="-5"), "date -5 is a number, not a date"),
        "title-list.md": (_fm("", title="[a, b]"), "'title' must be text, not a list"),
        "tags-mapping.md": (_fm("tags: {a: 1}"), "'tags' must be a list of words"),
        "extra-binary.md": (_fm("blob: !!binary aGVsbG8="), "cannot be stored"),
        "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        "empty.md": (b"", "empty file"),
        # readable, but used to hang or take quadratic time: they must come back fast
        "html-deep-divs.md": (
            _fm("", title="Deep divs").replace(
                "Body text of a hostile file. It has a sentence.",
                "<div>" * deep
                + "<p>Body text under deep nesting. It has a sentence.</p>"
                + "</div>" * deep,
            ),
            "",
        ),
        "md-entities.md": (
            _fm("", title="Entities").replace(
                "Body text", "&" + "amp;" * 500_000 + "lt; Body text"
            ),
            "",
        ),
        "md-brackets.md": (
            _fm("", title="Brackets").replace(
                "Body text", "[" * (1_000_000 if big else 200_000) + " Body text"
            ),
            "",
        ),
    }


READ_OK_TITLES = {
    "html-deep-divs.md": "Deep divs",
    "md-entities.md": "Entities",
    "md-brackets.md": "Brackets",
    "title-bidi.md": "Invoice gpj.exe ok",
}


def build_zoo(folder: Path, *, good: int = 3, big: bool = False) -> Zoo:
    """Write the zoo plus ``good`` good articles into ``folder`` (created if needed).

    ``big`` makes the nesting case the 4.4 MB / 400k-level file of the issue.
    Entries the system does not allow (a device node without the right) are left out.
    """
    folder.mkdir(parents=True, exist_ok=True)
    hostile: dict[str, str] = {}
    read_ok: dict[str, str] = {}
    for name, (content, error) in _content_cases(big).items():
        data = content.encode() if isinstance(content, str) else content
        (folder / name).write_bytes(data)
        if error:
            hostile[name] = error
        else:
            read_ok[name] = READ_OK_TITLES[name]
    (folder / "title-bidi.md").write_text(
        _fm("", title='"Invoice \\u202egpj.exe\\u200b ok"'), encoding="utf-8"
    )
    read_ok["title-bidi.md"] = READ_OK_TITLES["title-bidi.md"]
    with (folder / "too-large.md").open("wb") as fh:
        fh.truncate(5 * 1024 * 1024 + 1)
    hostile["too-large.md"] = "too large"

    # special files: never to be opened
    os.mkfifo(folder / "pipe.md")
    hostile["pipe.md"] = "named pipe (FIFO)"
    sock_path = folder / "sock.md"
    if len(os.fsencode(sock_path)) < 100:
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(os.fspath(sock_path))
        hostile["sock.md"] = "socket"
    with contextlib.suppress(PermissionError, OSError):
        os.mknod(folder / "device.md", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
        hostile["device.md"] = "character device"
    os.symlink("/dev/zero", folder / "zero.md")
    hostile["zero.md"] = "outside the source folder"
    outside = folder.parent / f"{folder.name}-outside.md"
    outside.write_text(good_article(999), encoding="utf-8")
    os.symlink(outside, folder / "outside.md")
    hostile["outside.md"] = "outside the source folder"
    os.symlink("b.md", folder / "a.md")
    os.symlink("a.md", folder / "b.md")
    hostile["a.md"] = "symlink loop"
    hostile["b.md"] = "symlink loop"
    os.symlink(".", folder / "loop")
    hostile["loop"] = "symlink to a folder"
    os.symlink("missing-target.md", folder / "dangling.md")
    hostile["dangling.md"] = "symlink to a missing file"
    # a name that is not UTF-8, holding a perfectly good article
    bad = os.path.join(os.fsencode(folder), b"caf\xe9-latin1.md")
    with open(bad, "wb") as fh:
        fh.write(good_article(998).encode())
    hostile["caf\\xe9-latin1.md"] = "not valid UTF-8"

    goods = []
    for n in range(good):
        name = f"good-{n:03d}.md"
        (folder / name).write_text(good_article(n), encoding="utf-8")
        goods.append(name)
    return Zoo(hostile=hostile, good=goods, read_ok=read_ok)
