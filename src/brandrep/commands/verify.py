"""`brandrep verify`: are data/processed and figures what the code makes?"""

from __future__ import annotations

import sys

from brandrep import suite

HELP = "compare data/processed and figures with outputs.sha256 as committed at git HEAD"


def add_arguments(parser) -> None:
    parser.add_argument(
        "--rerun", action="store_true",
        help="first rerun the whole suite into a temporary folder and compare that instead",
    )


def run(args) -> int:
    drift, committed, details = suite.verify(rerun=args.rerun)
    what = "a fresh rerun" if args.rerun else "the outputs"
    if drift.clean:
        print(f"verify: {len(committed.checksums)} files in {committed.source} match {what}")
        return 0
    lines = [f"verify: {what} differ from {committed.source}:", drift.report()]
    if details:
        lines += ["largest differences per column of each drifted table:", *details]
    print("\n".join(lines), file=sys.stderr)
    return 1
