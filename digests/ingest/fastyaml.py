"""A fast path for the simple YAML that article front matter is made of.

PyYAML (even with libyaml) costs ~45 µs per front matter block, about as much
as all of our cleaning. Nearly every real block is flat ``key: value`` lines,
``>-`` folded strings, quoted strings and ``- item`` lists, which this reads
in a few µs. Anything else — flow collections, anchors, escapes, nesting,
comments, tabs — returns ``None`` and the caller falls back to the bounded YAML
loader (:mod:`.yamlsafe`), so the fast path can only ever be faster, never different (a test
checks it against that loader on the corpus and on random blocks).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .yamlsafe import MAX_NODES, YamlLimitError

_KEY = re.compile(r"([A-Za-z_][\w-]*):(?: (.*))?$")
_ITEM = re.compile(r"( +)- (.*)$")
_INT = re.compile(r"\+?(?:0|[1-9][0-9_]*)$")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Strings of these characters may be typed by YAML (numbers, times); others are plain strings.
_NUMBERISH = re.compile(r"[0-9+.\-_:eEtTzZ ]+$")
_BLOCK = re.compile(r"[>|][-+]?$")
# First characters that make a plain scalar something other than a plain string.
_SPECIAL_START = frozenset("[]{}&*!|>%@`#'\",?:-")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})
_FALSE = frozenset({"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})


class _Unsupported(Exception):
    pass


def load_simple(block: str) -> dict[str, Any] | None:
    """Parse ``block`` if it only uses the simple subset, else ``None`` (use real YAML).

    Raises :class:`~.yamlsafe.YamlLimitError` beyond the value limit the bounded
    loader applies, counted the same way (a mapping, each key, each value, each item).
    """
    if "\t" in block or "\r" in block or ("#" in block and _has_comment(block)):
        return None
    try:
        return _parse(block.split("\n"))
    except _Unsupported:
        return None


def _has_comment(block: str) -> bool:
    return any(line.lstrip().startswith("#") or " #" in line for line in block.split("\n"))


def _parse(lines: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    count = 1  # the mapping itself
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = _KEY.match(line)
        if m is None:
            raise _Unsupported
        key, raw = m.group(1), (m.group(2) or "").strip()
        if key in out or key in _NULLS or key in _TRUE or key in _FALSE or _INT.match(key):
            raise _Unsupported
        i += 1
        if _BLOCK.match(raw):
            value, i = _block_scalar(raw, lines, i)
        elif raw == "":
            value, i = _sequence_or_null(lines, i)
        else:
            value = _scalar(raw)
            if i < n and lines[i][:1] == " " and lines[i].strip():
                raise _Unsupported  # a multi-line plain scalar
        out[key] = value
        count += 2 + (len(value) if isinstance(value, list) else 0)
        if count > MAX_NODES:
            raise YamlLimitError(
                f"front matter expands to more than {MAX_NODES} values; shorten its lists"
            )
    if not out:
        raise _Unsupported  # YAML says None for an empty block; let it
    return out


def _block_scalar(indicator: str, lines: list[str], i: int) -> tuple[str, int]:
    body: list[str] = []
    indent: int | None = None
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            if indent is None or len(line) > indent:
                raise _Unsupported  # leading or over-indented blank lines carry meaning
            body.append("")
            i += 1
            continue
        width = len(line) - len(line.lstrip(" "))
        if width == 0:
            break
        if indent is None:
            indent = width
        elif width < indent:
            raise _Unsupported
        elif width > indent and indicator[0] == ">":
            raise _Unsupported  # "more indented" folded lines keep their breaks
        body.append(line[indent:])
        i += 1
    while body and body[-1] == "":
        body.pop()
    if indicator[0] == "|":
        text = "\n".join(body)
    else:
        text = _fold(body)
    chomp = indicator[1:2]
    if chomp == "+":
        raise _Unsupported
    if chomp != "-" and text:
        text += "\n"
    return text, i


def _fold(body: list[str]) -> str:
    parts: list[str] = []
    blank_run = 0
    for line in body:
        if line == "":
            blank_run += 1
            continue
        if parts:
            parts.append("\n" * blank_run if blank_run else " ")
        blank_run = 0
        parts.append(line)
    return "".join(parts)


def _sequence_or_null(lines: list[str], i: int) -> tuple[Any, int]:
    items: list[Any] = []
    indent: str | None = None
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            raise _Unsupported  # blank lines inside lists: let YAML decide
        if line[:1] != " " and not line.startswith("- "):
            break
        m = _ITEM.match(line) if line[:1] == " " else re.match(r"()- (.*)$", line)
        if m is None:
            raise _Unsupported
        if indent is None:
            indent = m.group(1)
        elif m.group(1) != indent:
            raise _Unsupported
        items.append(_scalar(m.group(2).strip()))
        i += 1
        if i < n and lines[i].startswith(indent + "  ") and lines[i].strip():
            raise _Unsupported  # a multi-line item
    return (items if items else None), i


_FLOW_ITEM = re.compile(r""" *(?:"([^"\\]*)"|'([^']*)'|([^,\[\]{}"'#:]*?)) *(,|$)""")


def _flow_sequence(raw: str) -> list[Any]:
    """``["a", 'b', c]`` with simple items only."""
    inner = raw[1:-1].strip()
    if not inner:
        return []
    items: list[Any] = []
    pos = 0
    while pos < len(inner):
        m = _FLOW_ITEM.match(inner, pos)
        if m is None or m.end() == pos:
            raise _Unsupported
        double, single, plain, _sep = m.groups()
        if double is not None:
            items.append(double)
        elif single is not None:
            items.append(single)
        else:
            plain = plain.strip()
            if not plain:
                raise _Unsupported
            items.append(_scalar(plain))
        pos = m.end()
    if inner.rstrip().endswith(","):
        raise _Unsupported
    return items


def _scalar(raw: str) -> Any:
    if raw[:1] == "[" and raw[-1:] == "]":
        return _flow_sequence(raw)
    if raw[:1] == "'":
        if len(raw) < 2 or raw[-1] != "'":
            raise _Unsupported
        inner = raw[1:-1]
        if "'" in inner.replace("''", ""):
            raise _Unsupported
        return inner.replace("''", "'")
    if raw[:1] == '"':
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != '"' or "\\" in inner or '"' in inner:
            raise _Unsupported
        return inner
    if raw[:1] in _SPECIAL_START or ": " in raw or raw.endswith(":"):
        raise _Unsupported
    if raw in _NULLS:
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    if raw[:1] == "." and raw.lower() in (".inf", ".nan"):
        raise _Unsupported
    if raw[:1].isdigit() or raw[:1] in "+.":
        if _INT.match(raw):
            return int(raw.replace("_", ""))
        if _DATE.match(raw):
            try:
                return date(int(raw[:4]), int(raw[5:7]), int(raw[8:10]))
            except ValueError:
                return raw  # no such day: a string, as the bounded loader makes it
        if _NUMBERISH.match(raw):
            raise _Unsupported  # floats, timestamps, sexagesimals, octals: real YAML types them
    return raw
