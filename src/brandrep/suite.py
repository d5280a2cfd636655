"""Run the notebook suite headless and check its outputs.

Execution uses papermill (parameters, a fresh kernel per notebook, a per-cell progress bar) and
nbconvert (the HTML report); both are what the Jupyter ecosystem uses for this, so nothing here
re-implements them. What this module adds is what a reviewer needs on top:

* **Parameters are checked before any kernel starts**: an unknown name or a value of the wrong
  type stops with a message naming the notebook and the parameter.
* **Staged outputs**: every run writes into a staging copy of the output folders
  (``BRANDREP_OUTPUT_ROOT``) and only a run in which every notebook succeeded replaces the real
  ``data/processed`` and ``figures``; a failing notebook never leaves half an output behind.
* **A checksum manifest** (``outputs.sha256``, the format of ``sha256sum``) written by the suite
  after every successful run, which ``brandrep verify`` compares against.
"""

from __future__ import annotations

import ast
import contextlib
import filecmp
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from brandrep import DETERMINISTIC_ENVIRONMENT, paths
from brandrep.brands import canonical_brand
from brandrep.errors import BrandrepError, ParameterError
from brandrep.io.writing import atomic_path, write_text
from brandrep.kernel import KERNEL_NAME


# --------------------------------------------------------------------------------- notebooks


def suite_notebooks() -> list[Path]:
    """The suite's notebooks in run order (their two-digit prefix)."""
    return sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def resolve_notebook(name: str) -> Path:
    """Find a notebook by path, file name, stem or number prefix (``03``)."""
    candidate = Path(name)
    if candidate.suffix == ".ipynb" and candidate.is_file():
        return candidate.resolve()
    known = suite_notebooks()
    stem = candidate.name.removesuffix(".ipynb").removesuffix(".py")
    matches = [nb for nb in known if nb.stem == stem or nb.stem.split("_", 1)[0] == stem]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(nb.stem for nb in known) or "(none)"
    raise BrandrepError(f"no notebook {name!r}; the suite has: {names}")


def check_pair_in_sync(notebook: Path) -> None:
    """Refuse a notebook whose paired ``.py`` (the file people read, edit and diff) says something
    else than the ``.ipynb`` that would be executed; a notebook without a ``.py`` passes."""
    import jupytext

    script = notebook.with_suffix(".py")
    if not script.is_file():
        return
    expected = jupytext.writes(jupytext.read(notebook), fmt="py:percent")
    if expected != script.read_text(encoding="utf-8"):
        raise BrandrepError(f"notebook pair out of sync: {script.name} and {notebook.name} differ in "
                            f"{notebook.parent}; run `make notebooks` (jupytext --sync) and try again")


# -------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Parameter:
    name: str
    default: object
    help: str = ""

    @property
    def type_name(self) -> str:
        return type(self.default).__name__


def declared_parameters(notebook: Path) -> dict[str, Parameter]:
    """Parameters declared in the notebook's cell tagged ``parameters``, with their defaults."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    declared: dict[str, Parameter] = {}
    for cell in cells:
        tree = ast.parse(cell.source)
        lines = cell.source.splitlines()
        for node in tree.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                target, value = node.target.id, node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                target, value = node.targets[0].id, node.value
            else:
                continue
            try:
                default = ast.literal_eval(value)
            except ValueError:
                default = ast.unparse(value)
            comment = lines[node.lineno - 1].partition("#")[2].strip()
            declared[target] = Parameter(target, default, comment)
    return declared


def coerce_parameter(notebook: Path, parameter: Parameter, raw: str) -> object:
    """Convert a command-line string to the type of the parameter's default, or explain why not."""
    default = parameter.default
    expected = parameter.type_name

    def fail() -> ParameterError:
        return ParameterError(
            f"notebook {notebook.name}: parameter {parameter.name!r} expects {expected} "
            f"(default {default!r}), got {raw!r}"
        )

    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in {"true", "1", "yes"}:
            return True
        if lowered in {"false", "0", "no"}:
            return False
        raise fail()
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise fail() from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise fail() from None
    if isinstance(default, (list, dict, tuple)):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            try:
                value = ast.literal_eval(raw)
            except (ValueError, SyntaxError):
                raise fail() from None
        if not isinstance(value, type(default)):
            raise fail()
        return value
    if default is None:
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw
    return raw


# Parameters that name a brand: people type any alias, the notebooks compare canonical keys.
BRAND_PARAMETERS = ("brand",)


def _split_qualified(name: str, notebooks: list[Path]) -> tuple[str, list[Path] | None]:
    """``03:complaints_path`` -> ("complaints_path", [03's notebook]); a plain name -> (name, None)."""
    prefix, sep, bare = name.partition(":")
    if not sep:
        return name, None
    chosen = [nb for nb in notebooks if prefix in (nb.stem, nb.stem.split("_", 1)[0])]
    if not chosen:
        running = ", ".join(nb.stem for nb in notebooks)
        raise ParameterError(f"parameter {name!r}: notebook {prefix!r} is not in this run ({running})")
    return bare, chosen


def parameters_for(notebooks: list[Path], given: list[tuple[str, str]]) -> dict[Path, dict]:
    """Split ``-p NAME VALUE`` pairs over the notebooks that declare each name, typed.

    ``NN:NAME`` sets the parameter of notebook NN only. A plain ``*_path`` name declared by two
    of the notebooks run is refused: 01's ``complaints_path`` is a raw file, 03's a processed
    table, so one value cannot be meant for both. Later pairs override earlier ones."""
    declared = {nb: declared_parameters(nb) for nb in notebooks}
    per_notebook: dict[Path, dict] = {nb: {} for nb in notebooks}
    for qualified, raw in given:
        name, chosen = _split_qualified(qualified, notebooks)
        takers = [nb for nb in (chosen or notebooks) if name in declared[nb]]
        if not takers:
            accepted = "; ".join(
                f"{nb.name} accepts {', '.join(sorted(declared[nb])) or 'no parameters'}" for nb in chosen or notebooks
            )
            raise ParameterError(f"unknown parameter {qualified!r}: {accepted}")
        if chosen is None and name.endswith("_path") and len(takers) > 1:
            options = " or ".join(f"-p {nb.stem.split('_', 1)[0]}:{name} FILE" for nb in takers)
            raise ParameterError(f"parameter {name!r} names a different file in each of "
                                 f"{', '.join(nb.stem for nb in takers)}; say which: {options}")
        for nb in takers:
            value = coerce_parameter(nb, declared[nb][name], raw)
            if name in BRAND_PARAMETERS and isinstance(value, str):
                value = canonical_brand(value, warn=False)  # 小米, Xiaomi, MI -> xiaomi; unknown kept as typed
            per_notebook[nb][name] = value
    return per_notebook


# --------------------------------------------------------------------------------- checksums


def output_checksums(root: Path) -> dict[str, str]:
    """sha256 of every file in the output folders under ``root``, keyed by POSIX relative path."""
    sums = {}
    for folder in paths.OUTPUT_DIRS:
        base = root / folder
        if not base.is_dir():
            continue
        for file in sorted(p for p in base.rglob("*") if p.is_file()):
            relative = file.relative_to(root).as_posix()
            if file.name.startswith(".") or file.name.endswith(".part"):
                continue
            sums[relative] = hashlib.sha256(file.read_bytes()).hexdigest()
    return dict(sorted(sums.items()))


def write_manifest(root: Path, manifest: Path) -> Path:
    lines = [f"{digest}  {name}\n" for name, digest in output_checksums(root).items()]
    return write_text(manifest, "".join(lines))


def read_manifest(manifest: Path) -> dict[str, str]:
    if not manifest.is_file():
        raise BrandrepError(f"no manifest at {manifest}; run `brandrep run` (or `make all`) to write it")
    sums = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise BrandrepError(f"{manifest}, line {number}: not a sha256sum line: {line!r}")
        sums[name] = digest
    return sums


@dataclass
class Drift:
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.changed or self.missing or self.unexpected)

    def report(self) -> str:
        lines = []
        for label, names in (("drifted", self.changed), ("missing", self.missing), ("unexpected", self.unexpected)):
            lines += [f"  {label}: {name}" for name in names]
        return "\n".join(lines)


def compare(expected: dict[str, str], actual: dict[str, str]) -> Drift:
    return Drift(
        changed=sorted(n for n in expected.keys() & actual.keys() if expected[n] != actual[n]),
        missing=sorted(expected.keys() - actual.keys()),
        unexpected=sorted(actual.keys() - expected.keys()),
    )


# --------------------------------------------------------------------------------- execution


# Every kernel runs with these: a fixed hash seed, no display, and one BLAS/OpenMP/numba thread so
# that more cores cannot reorder a floating-point sum (the same values as the Makefile's).
KERNEL_ENVIRONMENT = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", **DETERMINISTIC_ENVIRONMENT}


@contextlib.contextmanager
def _environment(**values: str):
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _html_report(executed: Path, target: Path) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
    with atomic_path(target) as tmp:
        tmp.write_text(body, encoding="utf-8")


def _failure_message(notebook: Path, error, report: Path) -> str:
    # papermill counts its injected-parameters cell; the source line tells a reader which cell it is.
    first_line = next((line for line in error.source.splitlines() if line.strip()), "")
    return (
        f"notebook {notebook.name} failed in cell {error.cell_index} "
        f"(execution count {error.exec_count}, starting {first_line!r}): "
        f"{error.ename}: {error.evalue}\n"
        f"  executed copy: {report}\n"
        f"  nothing in {', '.join(paths.OUTPUT_DIRS)} was replaced"
    )


def _written_before(target_root: Path) -> set[str] | None:
    """Files a previous run wrote under ``target_root`` (its manifest); None for the checkout,
    whose output folders are brandrep's alone."""
    if target_root.resolve() == paths.PROJECT_ROOT.resolve():
        return None
    manifest = target_root / paths.MANIFEST_PATH.name
    return set(read_manifest(manifest)) if manifest.is_file() else set()


def _mirror(source_root: Path, target_root: Path) -> None:
    """Make each output folder under ``target_root`` equal to the one under ``source_root``;
    under ``--output DIR`` only files an earlier run wrote (its manifest) are ever deleted."""
    owned = _written_before(target_root)
    for folder in paths.OUTPUT_DIRS:
        src, dst = source_root / folder, target_root / folder
        dst.mkdir(parents=True, exist_ok=True)
        wanted = {p.relative_to(src) for p in src.rglob("*") if p.is_file()} if src.is_dir() else set()
        for old in sorted(p for p in dst.rglob("*") if p.is_file()):
            mine = owned is None or old.relative_to(target_root).as_posix() in owned
            if old.relative_to(dst) not in wanted and mine:
                old.unlink()
        for relative in sorted(wanted):
            new, old = src / relative, dst / relative
            if old.is_file() and filecmp.cmp(new, old, shallow=False):
                continue
            old.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(old) as tmp:
                shutil.copyfile(new, tmp)


def run_notebooks(
    notebooks: list[Path],
    parameters: dict[Path, dict] | None = None,
    *,
    output_root: Path | None = None,
    reports_dir: Path | None = None,
    fresh: bool = False,
    html: bool = True,
    progress: bool = True,
) -> Path:
    """Execute ``notebooks`` in order; on success their outputs replace those under ``output_root``.

    ``fresh`` starts from empty output folders (a whole-suite run); otherwise the current outputs
    (of ``output_root``, or of the checkout when ``output_root`` has none yet) are copied into the
    staging area first, so a later notebook can read an earlier one's tables.
    Returns the output root. Raises :class:`BrandrepError` naming the notebook and cell on failure.
    """
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from papermill.exceptions import PapermillExecutionError

    output_root = Path(output_root or paths.PROJECT_ROOT)
    reports_dir = Path(reports_dir or paths.REPORTS_DIR)
    reports_dir.mkdir(parents=True, exist_ok=True)
    parameters = parameters or {}
    with tempfile.TemporaryDirectory(prefix="brandrep-stage-") as staging_name:
        staging = Path(staging_name)
        if not fresh:
            # A new output folder starts from the checkout's outputs, so notebook 03 finds 01's tables.
            seed = output_root if any((output_root / f).is_dir() for f in paths.OUTPUT_DIRS) else paths.PROJECT_ROOT
            for folder in paths.OUTPUT_DIRS:
                if (seed / folder).is_dir():
                    shutil.copytree(seed / folder, staging / folder)
        with _environment(**{paths.OUTPUT_ROOT_ENV: str(staging), **KERNEL_ENVIRONMENT}):
            for position, notebook in enumerate(notebooks, start=1):
                report = reports_dir / notebook.name
                print(f"[{position}/{len(notebooks)}] {notebook.name}", file=sys.stderr, flush=True)
                try:
                    papermill.execute_notebook(
                        str(notebook),
                        str(report),
                        parameters=parameters.get(notebook, {}),
                        kernel_name=KERNEL_NAME,
                        progress_bar=progress,
                        cwd=str(notebook.parent),
                    )
                except PapermillExecutionError as error:
                    if html:
                        _html_report(report, report.with_suffix(".html"))
                    failure = BrandrepError(_failure_message(notebook, error, report))
                    if error.ename in ("InputError", "ParameterError"):
                        failure.exit_code = 2  # refused input, as for the commands themselves
                    raise failure from None
                except NoSuchKernel:
                    raise BrandrepError(
                        f"the Jupyter kernel {KERNEL_NAME!r} is not installed; `make setup` installs it into .venv"
                    ) from None
                if html:
                    _html_report(report, report.with_suffix(".html"))
        _mirror(staging, output_root)
    write_manifest(output_root, output_root / paths.MANIFEST_PATH.name)
    return output_root


@dataclass
class Committed:
    """The outputs as committed: the manifest at git HEAD, or the one on disk without git history."""

    checksums: dict[str, str]
    source: str
    from_git: bool

    def read(self, name: str) -> bytes | None:
        """The committed bytes of output ``name`` (from HEAD; from the checkout without git)."""
        if not self.from_git:
            path = paths.PROJECT_ROOT / name
            return path.read_bytes() if path.is_file() else None
        return _git_show(name)


def _git_show(name: str) -> bytes | None:
    import subprocess

    try:
        result = subprocess.run(
            ["git", "-C", str(paths.PROJECT_ROOT), "show", f"HEAD:{name}"],
            capture_output=True, check=False, timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def committed_outputs() -> Committed:
    """The checksums to verify against: ``outputs.sha256`` as committed at HEAD, since a run
    rewrites the file on disk and would otherwise be checked against itself."""
    name = paths.MANIFEST_PATH.name
    body = _git_show(name)
    if body is None:
        sums = read_manifest(paths.MANIFEST_PATH)
        return Committed(sums, f"{paths.MANIFEST_PATH} on disk (no git history here)", from_git=False)
    with tempfile.TemporaryDirectory(prefix="brandrep-manifest-") as folder:
        copy = Path(folder) / name
        copy.write_bytes(body)
        sums = read_manifest(copy)
    return Committed(sums, f"{name} as committed at git HEAD", from_git=True)


def _read_table(name: str, body: bytes):
    import io

    import pandas as pd

    if name.endswith(".parquet"):
        return pd.read_parquet(io.BytesIO(body))
    return pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")


def table_differences(name: str, committed: bytes, current: bytes) -> list[str]:
    """Per numeric column, the largest absolute and relative difference between two versions of
    a table: tells last-digit noise (1e-15) from a different result."""
    import numpy as np
    import pandas as pd

    try:
        old, new = _read_table(name, committed), _read_table(name, current)
    except Exception as error:  # an unreadable table is itself the finding
        return [f"cannot compare as a table: {error}"]
    if old.shape != new.shape or list(old.columns) != list(new.columns):
        return [f"shape or columns changed: {old.shape} {list(old.columns)} -> {new.shape} {list(new.columns)}"]
    lines = []
    for column in old.columns:
        a, b = old[column], new[column]
        if not (pd.api.types.is_numeric_dtype(a.dtype) and pd.api.types.is_numeric_dtype(b.dtype)):
            changed = int((a.astype(str) != b.astype(str)).sum())
            if changed:
                lines.append(f"{column}: {changed} non-numeric value(s) changed")
            continue
        x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        both = ~(np.isnan(x) & np.isnan(y))
        absolute = np.abs(x - y)[both]
        if absolute.size == 0 or not np.nanmax(absolute) > 0:
            continue
        scale = np.maximum(np.abs(x), np.abs(y))[both]
        relative = np.divide(absolute, scale, out=np.zeros_like(absolute), where=scale > 0)
        lines.append(f"{column}: max abs diff {np.nanmax(absolute):.3g}, max rel diff {np.nanmax(relative):.3g}")
    return lines or ["bytes differ but every value is equal"]


def drift_details(drift: Drift, committed: Committed, root: Path) -> list[str]:
    """For each drifted CSV/Parquet table, its per-column differences from the committed version."""
    lines = []
    for name in drift.changed:
        if not name.endswith((".csv", ".parquet")):
            continue
        old = committed.read(name)
        if old is None:
            continue
        lines.append(f"  {name}:")
        lines += [f"    {line}" for line in table_differences(name, old, (root / name).read_bytes())]
    return lines


def verify(*, rerun: bool = False, reports_dir: Path | None = None) -> tuple[Drift, Committed, list[str]]:
    """Compare the outputs (or a fresh rerun of the whole suite) with the committed outputs.

    Returns the drift, what it was compared against, and per-table differences of drifted files.
    """
    committed = committed_outputs()
    if not rerun:
        drift = compare(committed.checksums, output_checksums(paths.PROJECT_ROOT))
        return drift, committed, drift_details(drift, committed, paths.PROJECT_ROOT)
    with tempfile.TemporaryDirectory(prefix="brandrep-rerun-") as root_name:
        root = Path(root_name)
        run_notebooks(
            suite_notebooks(),
            output_root=root,
            reports_dir=reports_dir or root / "reports",
            fresh=True,
            html=False,
        )
        drift = compare(committed.checksums, output_checksums(root))
        return drift, committed, drift_details(drift, committed, root)
