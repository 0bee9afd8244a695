"""The ``autograd-lite`` command: one subcommand per module in ``autograd_lite.commands``.

Each subcommand module provides ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``. Bad input is reported as one line on stderr with exit code 2 (a
:class:`UsageError` raised by the command, or argparse's own messages); no traceback.
Without a command it prints the help (exit code 2); ``--version`` prints the version.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMANDS = {
    "train": "autograd_lite.commands.train",
    "graph": "autograd_lite.commands.graph",
}


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: ``sys.argv[1:]``), run the subcommand, return its exit code."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="autograd-lite", description="autograd_lite: a readable autograd engine on numpy."
    )
    parser.add_argument("--version", action="version", version=f"autograd-lite {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    parsers: dict[str, argparse.ArgumentParser] = {}
    for name, module_name in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # a subcommand not written yet
        modules[name] = module
        parsers[name] = subparsers.add_parser(name, help=module.HELP)
        module.add_arguments(parsers[name])
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # argparse's own message, with the command's hint when it has one
        hint = getattr(modules.get(args.command), "unknown_arguments_hint", None)
        message = f"unrecognized arguments: {' '.join(unknown)}"
        parsers.get(args.command, parser).error(message + (hint(args, unknown) if hint else ""))
    if args.command is None:  # no command: say what there is, rather than "X is required"
        parser.print_help()
        return 2
    try:
        return int(modules[args.command].run(args))
    except UsageError as exc:
        print(f"autograd-lite {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"autograd-lite {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
