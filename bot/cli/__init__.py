"""``newsbot`` command line: one click group; each subcommand lives in its own module here.

Modules in this package that define a module-level ``command`` (a click command or
group) are registered automatically, so adding a subcommand touches one file.
Heavy imports (chat SDKs, SQLAlchemy) stay inside the command functions so that
``newsbot digest`` starts fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsbot")
def cli() -> None:
    """newsbot: news digests, key quotes and alerts for Slack, Discord and the terminal."""


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_register()


def main() -> None:
    cli()
