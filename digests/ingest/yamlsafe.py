"""YAML front matter read with hard limits, so no 1 KB file can take gigabytes.

YAML aliases (``&a`` … ``*a``) and merge keys (``<<: *a``) share nodes: a
755-byte "billion laughs" block is a small graph that expands to billions of
values as soon as anything walks it (``str()``, JSON, the database). Before a
single value is built, :class:`BoundedLoader` measures the graph as it would be
*expanded* (each alias counted in full, in time linear in the graph) and refuses
it beyond :data:`MAX_NODES` values, :data:`MAX_DEPTH` levels or any cycle. The
block's length is capped first (:data:`MAX_BLOCK`), which bounds the graph.

Timestamps that name no real day (``2025-02-30``) stay strings here; whether that
is an error depends on the field (``date`` is refused by :mod:`.fields`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from .result import IngestFailure

MAX_BLOCK = 64 * 1024  # characters of front matter; real blocks are under 2 KB
MAX_NODES = 5000  # values after alias expansion (keys, items and scalars)
MAX_DEPTH = 16  # levels of nested lists/mappings

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLimitError(ValueError):
    """A front matter block beyond the limits; the message says which and what to do."""


class BoundedLoader(_Base):  # type: ignore[misc]  # PyYAML has no type hints: its loaders are Any
    """``yaml.CSafeLoader`` (libyaml) that checks the node graph before constructing."""

    def construct_document(self, node: yaml.Node) -> Any:
        check_graph(node)
        return super().construct_document(node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return str(node.value)  # not a real day: let the field decide


BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", BoundedLoader.construct_yaml_timestamp)


def check_graph(root: yaml.Node) -> None:
    """Raise :class:`YamlLimitError` if ``root`` expands beyond the limits or is cyclic."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    aliases = 0
    # iterative post-order walk: (node, children pushed?)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_: set[int] = set()
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if expanded:
            open_.discard(key)
            size, depth = 1, 0
            for child in _children(node):
                size += sizes[id(child)]
                depth = max(depth, depths[id(child)])
            sizes[key] = size
            depths[key] = depth + (0 if isinstance(node, yaml.ScalarNode) else 1)
            if size > MAX_NODES:
                raise YamlLimitError(
                    f"front matter expands to more than {MAX_NODES} values"
                    + (f" ({aliases} YAML aliases)" if aliases else "")
                    + "; remove the &anchors/*aliases and write the values out"
                )
            if depths[key] > MAX_DEPTH:
                raise YamlLimitError(
                    f"front matter is nested more than {MAX_DEPTH} levels deep; flatten it"
                )
            continue
        if key in sizes:
            aliases += 1
            continue
        if key in open_:
            raise YamlLimitError(
                "front matter contains a recursive YAML alias (a value that contains itself); "
                "remove the &anchor/*alias"
            )
        open_.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_:
                raise YamlLimitError(
                    "front matter contains a recursive YAML alias (a value that contains "
                    "itself); remove the &anchor/*alias"
                )
            stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def load_yaml(block: str) -> Mapping[str, Any]:
    """A front matter block → its mapping, or :class:`IngestFailure` saying what is wrong."""
    if len(block) > MAX_BLOCK:
        raise IngestFailure(
            f"front matter is {len(block) // 1024} KB (limit {MAX_BLOCK // 1024} KB); "
            "keep only the fields in it and move long text into the article body"
        )
    try:
        meta = yaml.load(block, Loader=BoundedLoader)
    except YamlLimitError as exc:
        raise IngestFailure(str(exc)) from None
    except yaml.YAMLError as exc:
        # Where the broken construct began (context) is where people should look first.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise IngestFailure(
            f"invalid YAML front matter{where}: {problem}; quote values containing ':' or '#'"
        ) from None
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:
        raise IngestFailure(f"invalid YAML front matter: {exc}") from None
    if meta is None:
        raise IngestFailure("empty front matter; add at least title: and date:")
    if not isinstance(meta, Mapping):
        raise IngestFailure("front matter is not a list of 'field: value' lines")
    return meta
