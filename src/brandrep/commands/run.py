"""`brandrep run`: execute notebooks headless, in order, from a clean kernel."""

from __future__ import annotations

import argparse
from pathlib import Path

from brandrep import suite

HELP = "run notebooks headless (all, in order, by default); write outputs and HTML reports"


def add_arguments(parser) -> None:
    parser.add_argument(
        "notebooks", nargs="*", metavar="NOTEBOOK",
        help="notebook path, name or number (e.g. 03); default: the whole suite in order",
    )
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
        help="set a notebook parameter (repeatable); typed like the notebook's default; "
             "NN:NAME sets it for notebook NN only (01 and 03 each have a complaints_path)",
    )
    parser.add_argument(
        "--output", type=Path, default=None, metavar="DIR",
        help="write data/processed and figures under DIR instead of the checkout (for exploring "
             "other parameters without touching the committed outputs)",
    )
    parser.add_argument(
        "--case", type=Path, default=None, metavar="DIR",
        help="run 01 -> 03 -> 04 on a case folder written by `brandrep new-case DIR`: its raw tables, "
             "brand, platform and periods (DIR/brandrep-case.json), outputs and reports into DIR",
    )
    parser.add_argument("--reports", type=Path, default=None, help="folder for executed copies (default: reports/)")
    parser.add_argument("--no-html", action="store_true", help="skip the HTML reports")
    parser.add_argument("--no-progress", action="store_true", help="no per-cell progress bar")
    parser.formatter_class = argparse.RawDescriptionHelpFormatter  # one line per parameter
    plain_help = parser.format_help

    def format_help() -> str:
        # Read the notebooks only when help is asked for, so other commands stay fast.
        parser.epilog = parameters_help(suite.suite_notebooks())
        return plain_help()

    parser.format_help = format_help


def parameters_help(notebooks) -> str:
    """Each notebook's parameters (from its `parameters` cell): name, type, default and the comment beside it."""
    lines = ["notebook parameters (-p NAME VALUE; brand accepts any alias, e.g. 小米, Xiaomi, MI):"]
    for notebook in notebooks:
        lines.append(f"  {notebook.stem}:")
        for parameter in suite.declared_parameters(notebook).values():
            meaning = f"  {parameter.help}" if parameter.help else ""
            lines.append(f"    {parameter.name} ({parameter.type_name}, default {parameter.default!r}){meaning}")
    return "\n".join(lines)


def _absolute_if_path(name: str, value: str) -> tuple[str, str]:
    """``*_path`` parameters name files relative to where the user typed the command; notebooks run
    in notebooks/, so the path is made absolute here."""
    if name.endswith("_path") and value and not Path(value).is_absolute():
        return name, str(Path(value).resolve())
    return name, value


def run(args) -> int:
    if args.case is not None:
        return run_case(args)
    whole_suite = not args.notebooks
    notebooks = suite.suite_notebooks() if whole_suite else [suite.resolve_notebook(n) for n in args.notebooks]
    if not notebooks:
        raise suite.BrandrepError("no notebooks to run (notebooks/NN_name.ipynb)")
    for notebook in notebooks:
        suite.check_pair_in_sync(notebook)  # the .ipynb is what runs; the .py is what people edit
    parameters = suite.parameters_for(notebooks, [_absolute_if_path(*p) for p in args.parameter])
    reports = args.reports
    if args.output is not None:
        _refuse_foreign_output(args.output)
        reports = reports or args.output / "reports"  # a run with --output leaves the checkout alone
    root = suite.run_notebooks(
        notebooks, parameters, output_root=args.output, reports_dir=reports, fresh=whole_suite,
        html=not args.no_html, progress=not args.no_progress,
    )
    print(f"ran {len(notebooks)} notebook(s); outputs in {root}; checksums in {root / suite.paths.MANIFEST_PATH.name}")
    return 0


def run_case(args) -> int:
    """01 -> 03 -> 04 on a case folder, from empty output folders (nothing of the checkout's own
    outputs, e.g. its Xiaomi charts, ends up in the case), after a strict check of its raw tables."""
    from brandrep.brands import EXTRA_ALIASES_ENV
    from brandrep.cleaning.templates import CASE_NOTEBOOKS, check_case, read_case
    from brandrep.errors import ParameterError

    if args.notebooks:
        raise ParameterError("--case runs notebooks " + " -> ".join(CASE_NOTEBOOKS) + "; give no notebook names "
                             "(run single notebooks with --output DIR instead)")
    case = read_case(args.case)
    if args.output is not None and args.output.resolve() != case.folder:
        raise ParameterError(f"--case writes into the case folder {case.folder}; drop --output {args.output}")
    _refuse_foreign_output(case.folder)
    notebooks = [suite.resolve_notebook(number) for number in CASE_NOTEBOOKS]
    for notebook in notebooks:
        suite.check_pair_in_sync(notebook)
    extra = {EXTRA_ALIASES_ENV: str(case.aliases_path)} if case.aliases_path.is_file() else {}
    with suite._environment(**extra):  # the case's brands are known to this check and to every kernel
        check_case(case)
        given = case.parameters() + [_absolute_if_path(*p) for p in args.parameter]  # -p overrides the case
        parameters = suite.parameters_for(notebooks, given)
        root = suite.run_notebooks(
            notebooks, parameters, output_root=case.folder, reports_dir=args.reports or case.folder / "reports",
            fresh=True, html=not args.no_html, progress=not args.no_progress,
        )
    print(f"ran {len(notebooks)} notebooks on the case {case.settings['brand']} on {case.settings['platform']}; "
          f"ledger in {root / 'data/processed/claims_ledger.md'}, charts in {root / 'figures'}")
    return 0


def _refuse_foreign_output(folder: Path) -> None:
    """A non-empty DIR without brandrep's manifest (or a case scaffold's marker) is someone else's
    folder: refused (exit 2)."""
    from brandrep.cleaning.templates import CASE_MARKER
    from brandrep.errors import ParameterError

    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"--output {folder}: it is a file, not a folder")
    manifest = folder / suite.paths.MANIFEST_PATH.name
    # only reports/ there: an earlier run with this --output that failed before writing outputs
    foreign = [p for p in folder.iterdir() if p.name != "reports"] if folder.is_dir() else []
    if foreign and not manifest.is_file() and not (folder / CASE_MARKER).is_file():
        raise ParameterError(
            f"--output {folder}: the folder is not empty and is not a brandrep output (no {manifest.name}); "
            "nothing was written. Choose an empty or new folder"
        )
