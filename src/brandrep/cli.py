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

# name -> module; modules are imported only when their command runs, so `brandrep --help` is fast.
SUBCOMMANDS = {
    "check": "brandrep.commands.check",
    "new-case": "brandrep.commands.new_case",
    "run": "brandrep.commands.run",
    "score": "brandrep.commands.score",
    "train-sentiment": "brandrep.commands.train_sentiment",
    "verify": "brandrep.commands.verify",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="brandrep",
        description="brandrep: clean complaint and sales data, score Chinese complaint text, test complaints against volume.",
    )
    parser.add_argument("--version", action="version", version=f"brandrep {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
