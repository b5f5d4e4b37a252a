"""The ``newsgraph`` command. Each subcommand module only translates: parse arguments, call one
library function, print a table or JSON, and map ``NewsgraphError`` to a one-line message and
its exit code (2 bad input, 1 other errors, 3 some documents of a batch failed)."""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from ..errors import NewsgraphError
from ..settings import Settings, describe

# Subcommand modules, each with register(subparsers) -> None.
COMMAND_MODULES = ["newsgraph.cli.analyze", "newsgraph.cli.train", "newsgraph.cli.corpus"]


def add_settings_flags(parser: argparse.ArgumentParser, names: list[str]) -> None:
    """Flags for the named settings, with their help text from ``Settings``."""
    for name, default, help in describe():
        if name in names:
            flag = "--" + name.replace("_", "-")
            kind = type(default) if not isinstance(default, list) else str
            parser.add_argument(flag, dest=name, type=kind, default=None,
                                help=f"{help} (default: {default if not isinstance(default, list) else ','.join(default)})")


def settings_from(args: argparse.Namespace) -> Settings:
    flags = {name: getattr(args, name) for name, _, _ in describe() if getattr(args, name, None) is not None}
    return Settings.load(config=getattr(args, "config", None), **flags)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsgraph", description="Who said what, who did what to whom, and how it was said: cited records of news text, and a corpus to question them.")
    parser.add_argument("--config", help="TOML file with a [newsgraph] table of settings")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="newsgraph: %(levelname)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except NewsgraphError as exc:
        print(f"newsgraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("newsgraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: one line, the traceback only with -v
        if args.verbose:
            raise
        print(f"newsgraph: internal error: {type(exc).__name__}: {exc} "
              "(run with -v for the traceback, and please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
