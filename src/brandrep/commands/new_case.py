"""`brandrep new-case DIR [--brand B --platform P]`: templates for a researcher's own case.

Writes DIR/raw/figures.csv and DIR/raw/complaint_shares.csv (every column, example rows),
DIR/raw/brand_aliases.csv (the case's brands), DIR/brandrep-case.json (brand, platform, periods)
and DIR/README.md (what each column means, which are required, and `brandrep run --case DIR`,
which runs notebooks 01 -> 03 -> 04 into DIR). Nothing is overwritten.
"""

from __future__ import annotations

from pathlib import Path

from brandrep.cleaning.templates import run_commands, write_case

HELP = "write raw-table templates and a README for your own brand and platform, and the commands to run them"


def add_arguments(parser) -> None:
    parser.add_argument("case", type=Path, metavar="DIR", help="new folder for the case (its outputs go there too)")
    parser.add_argument("--brand", default="my_brand",
                        help="brand key, as you will write it in every file and in -p brand (default my_brand)")
    parser.add_argument("--platform", default="my_platform", help="complaint platform (default my_platform)")


def run(args) -> int:
    written = write_case(args.case, args.brand, args.platform)
    for path in written:
        print(f"wrote {path}")
    print("fill raw/*.csv with your sourced rows and set the periods in brandrep-case.json (see README.md), then run:")
    for command in run_commands(args.case.resolve(), args.brand.strip(), args.platform.strip()):
        print(f"  {command}")
    return 0
