"""The ``brandrep`` command: one entry point, one subcommand module each.

Each module in ``brandrep.commands`` defines ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``. Errors a user can act on (:class:`~brandrep.errors.BrandrepError`) are
printed as one message with a non-zero exit, never as a bare traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from brandrep import __version__
from brandrep.errors import BrandrepError

# name -> module. A command line naming a command imports that command's module only: `brandrep
# score` then starts without pandera, the cleaning rules or scikit-learn, which other commands
# import at module level (about a second, serial before any row is read, issue 17). `--help`,
# `--version` and a mistyped command build the full parser.
SUBCOMMANDS = {
    "check": "brandrep.commands.check",
    "new-case": "brandrep.commands.new_case",
    "run": "brandrep.commands.run",
    "score": "brandrep.commands.score",
    "train-sentiment": "brandrep.commands.train_sentiment",
    "verify": "brandrep.commands.verify",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command`` alone (the same parse of a command line
    naming it: the other commands' options play no part in it)."""
    parser = argparse.ArgumentParser(
        prog="brandrep",
        description="brandrep: clean complaint and sales data, score Chinese complaint text, test complaints against volume.",
    )
    parser.add_argument("--version", action="version", version=f"brandrep {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in SUBCOMMANDS.items():
        if command is not None and name != command:
            continue
        module = importlib.import_module(module_name)
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(_module=module)
    return parser


def _command_named(argv: list[str]) -> str | None:
    """The command a command line names, when that is certain: the main parser has no option
    taking a value, so its first argument not starting with '-' is the command."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in SUBCOMMANDS else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_named(argv))
    args = parser.parse_args(argv)
    try:
        return int(args._module.run(args) or 0)
    except BrandrepError as error:
        print(f"brandrep {args.command}: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"brandrep {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
