"""`brandrep verify`: are data/processed and figures what the code makes?"""

from __future__ import annotations

import sys

from brandrep import paths, suite

HELP = "compare data/processed and figures with the committed checksum manifest (outputs.sha256)"


def add_arguments(parser) -> None:
    parser.add_argument(
        "--rerun", action="store_true",
        help="first rerun the whole suite into a temporary folder and compare that instead",
    )


def run(args) -> int:
    drift = suite.verify(rerun=args.rerun)
    checked = len(suite.read_manifest(paths.MANIFEST_PATH))
    what = "a fresh rerun" if args.rerun else "the outputs"
    if drift.clean:
        print(f"verify: {checked} files in {paths.MANIFEST_PATH.name} match {what}")
        return 0
    print(f"verify: {what} differ from {paths.MANIFEST_PATH.name}:\n{drift.report()}", file=sys.stderr)
    return 1
