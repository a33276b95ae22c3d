"""The import rule from DESIGN.md: digests is pure; adapters never import each other or bot;
inside bot, storage is the bottom layer and only the entry points know the application object."""

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
    """Every module ``path`` imports, relative imports resolved, at any depth (a lazy import
    inside a function counts: it is still a dependency)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = list(path.relative_to(REPO).parts[:-1])  # the package `.` refers to
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            if node.module:
                names.add(".".join([*base, node.module]))
            else:  # from . import x
                names.update(".".join([*base, alias.name]) for alias in node.names)
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


def _modules(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.py") if "__pycache__" not in p.parts]


def test_relative_imports_are_resolved_so_the_rules_below_see_them() -> None:
    imports = _imports(REPO / "bot" / "storage" / "delivery_store.py")
    assert "bot.storage.schema" in imports  # written as `from .schema import …`


def test_bot_storage_imports_nothing_from_the_rest_of_bot() -> None:
    """Storage is the bottom of bot: the poller, outbox, commands and services build on it,
    never the other way round (a record type both need lives in storage)."""
    offenders = [
        f"{p.relative_to(REPO)} imports {name}"
        for p in _modules(REPO / "bot" / "storage")
        for name in _imports(p)
        if name.split(".")[0] == "bot" and not name.startswith("bot.storage")
    ]
    assert offenders == []


def test_only_the_cli_imports_the_application_object() -> None:
    """Services and handlers see the bot through protocols (``bot.services.ServiceHost``,
    ``CommandContext``), so nothing below the entry points imports ``bot.app``."""
    offenders = [
        f"{p.relative_to(REPO)} imports {name}"
        for p in _modules(REPO / "bot")
        if p.relative_to(REPO).parts[:2] != ("bot", "cli") and p.name != "app.py"
        for name in _imports(p)
        if name == "bot.app" or name.startswith("bot.app.")
    ]
    assert offenders == []


def test_the_storage_write_lock_is_used_through_its_public_name() -> None:
    """Delivery, the outbox and the core share one SQLite writer lock: ``Storage.write_lock``."""
    offenders = [
        f"{p.relative_to(REPO)}"
        for p in _modules(REPO / "bot")
        if "_write_lock" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
