"""The import rule from DESIGN.md: digests is pure; adapters never import each other or bot."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_DIGESTS = {
    "bot",
    "adapters",
    "slack_bolt",
    "slack_sdk",
    "discord",
    "sqlalchemy",
    "alembic",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_digests_imports_no_bot_adapters_sdk_or_database() -> None:
    offenders = [
        f"{p.relative_to(REPO)} imports {name}"
        for p in (REPO / "digests").rglob("*.py")
        for name in _imports(p)
        if name.split(".")[0] in FORBIDDEN_IN_DIGESTS
    ]
    assert offenders == []


def test_adapters_never_import_bot_or_each_other() -> None:
    platforms = [
        d.name for d in (REPO / "adapters").iterdir() if d.is_dir() and d.name != "__pycache__"
    ]
    offenders = []
    for platform in platforms:
        for p in (REPO / "adapters" / platform).rglob("*.py"):
            for name in _imports(p):
                parts = name.split(".")
                if parts[0] == "bot":
                    offenders.append(f"{p.relative_to(REPO)} imports {name}")
                if (
                    parts[0] == "adapters"
                    and len(parts) > 1
                    and parts[1] in platforms
                    and parts[1] != platform
                ):
                    offenders.append(f"{p.relative_to(REPO)} imports {name}")
    assert offenders == []
