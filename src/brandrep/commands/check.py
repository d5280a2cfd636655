"""`brandrep check PATH`: validate a raw file before using it.

Prints the accounting (rows read = accepted + rejected + duplicates), the rejected rows by reason
and each rejected line with its column. Exit status: 0 when the file can be used (some rows may
be rejected; ``--strict`` turns any reject into status 1), 2 when it cannot be used at all (not
readable, a required column missing, or no usable row).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from brandrep.cleaning.build import KINDS, OPTIONAL_COLUMNS, REASON_MEANINGS, REQUIRED_COLUMNS, check_file, reason_meaning
from brandrep.errors import InputError

HELP = "validate a raw figures or complaint-share file; print rows read, accepted and rejected by reason"


def add_arguments(parser) -> None:
    parser.add_argument("path", type=Path, help="raw CSV, TSV or XLSX (figures or complaint shares)")
    parser.formatter_class = argparse.RawDescriptionHelpFormatter  # keep one line per kind and reason
    parser.epilog = columns_help() + "\n\nreject reasons:\n" + "\n".join(
        f"  {phrase}: {meaning}" for phrase, meaning in REASON_MEANINGS.items())
    parser.add_argument("--kind", choices=KINDS, default=None, help="schema to use (default: detected from the header)")
    parser.add_argument("--sheet", metavar="NAME|INDEX",
                        help="XLSX: the worksheet to check, by name or number (1 = first; default the first)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any row is rejected")
    parser.add_argument("--max-lines", type=int, default=50, help="rejected lines to list (default 50)")


def columns_help() -> str:
    """Required and optional columns of each raw kind (also printed by every check)."""
    return "columns by table kind:\n" + "\n".join(f"  {kind}: required {', '.join(REQUIRED_COLUMNS[kind])}; optional {', '.join(OPTIONAL_COLUMNS[kind])}"
                     for kind in KINDS)


def run(args) -> int:
    from brandrep.io.reading import describe_input

    print(describe_input(args.path, sheet=args.sheet).line())
    result = check_file(args.path, kind=args.kind, sheet=args.sheet)
    accounting = result.accounting
    print(f"{args.path} ({result.kind}): {accounting.line()}")
    print(f"required columns: {', '.join(REQUIRED_COLUMNS[result.kind])}; "
          f"optional: {', '.join(OPTIONAL_COLUMNS[result.kind])}")
    rejects = result.rejects
    if len(rejects):
        print("rejected by reason:")
        for reason, n in rejects.groupby("reason").size().sort_values(ascending=False, kind="stable").items():
            print(f"  {n:>5}  {reason}")
            if meaning := reason_meaning(reason):
                print(f"         means: {meaning}")
        print("rejected lines:")
        for row in rejects.head(args.max_lines).itertuples(index=False):
            where = f"line {row.line}" + (f", column {row.column!r}" if row.column else "")
            print(f"  {where}: {row.reason} [{row.raw}]")
        if len(rejects) > args.max_lines:
            print(f"  ... and {len(rejects) - args.max_lines} more")
    if accounting.accepted == 0:
        raise InputError("no usable row", path=args.path)
    if args.strict and accounting.rejected:
        return 1
    return 0
