"""The `dej` command: one entry point, one module per subcommand.

Each subcommand module exposes `register(subparsers)`; it adds its parser and sets `func` (args -> exit code).
Imports are lazy so `dej skills ...` does not pay for Spark or Dagster.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

SUBCOMMAND_MODULES = (
    "dej_platform.cli.run",
    "dej_platform.cli.skills",
    "dej_platform.cli.silver",
    "dej_platform.cli.enrich",
    "dej_platform.cli.consensus",
    "dej_platform.cli.sql",
    "dej_platform.cli.emulator",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dej", description="dej_platform: data-engineering job market lakehouse"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # subcommand not built yet
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
