"""The one owner of output names: every file a command writes is planned here, then checked.

Names are derived from the output name exactly as typed; only a final ``.csv``/``.parquet``
(any case) counts as the extension, so dots in the stem are kept::

    scores.v2.csv  ->  scores.v2.rejects.csv, scores.v2.accounting.json,
                       scores.v2.csv.parts/ (checkpoints), scores.v2.csv.lock,
                       .scores.v2.csv.*.part (temporary files while writing)

The parts folder and the lock are named from the full file name, so ``x.csv`` and
``x.parquet`` never share checkpoints. Their rejects and accounting names coincide; the
accounting file records which output it belongs to, and :func:`check_plan` refuses to replace
one written for another output.

Ownership rule (what brandrep may replace): the output itself (documented in ``--help``); a
rejects or accounting file only when the accounting file beside it says ``"written_by":
"brandrep"`` for this same output; a parts folder only when it holds brandrep's
``manifest.json``. Anything else is refused before a row is read.
"""

from __future__ import annotations

import glob
import json
import os
from dataclasses import dataclass
from pathlib import Path

from brandrep.errors import BrandrepError

TABLE_SUFFIXES = (".csv", ".parquet")
WRITTEN_BY = "brandrep"
MANIFEST = "manifest.json"


class OutputRefused(BrandrepError):
    """A planned output would overwrite an input or a file brandrep did not write."""

    exit_code = 2


@dataclass(frozen=True)
class OutputPlan:
    output: Path
    rejects: Path
    accounting: Path
    parts: Path
    lock: Path

    @property
    def base(self) -> Path:
        """The output without its table extension (``out/scores.v2``)."""
        return self.rejects.with_name(self.rejects.name[: -len(".rejects.csv")])

    def table(self, fmt: str) -> Path:
        """The output in format ``fmt``: the output itself when it already has that extension."""
        if self.output.suffix.lower() == "." + fmt:
            return self.output
        return self.base.with_name(f"{self.base.name}.{fmt}")

    def temp_pattern(self, target: Path) -> str:
        """Glob of the temporary files :func:`brandrep.io.writing.atomic_path` makes for ``target``."""
        return f".{glob.escape(target.name)}.*.part"

    def files(self, formats=()) -> list[Path]:
        tables = [self.table(f) for f in formats] or [self.output]
        return [*tables, self.rejects, self.accounting, self.lock]


def plan_outputs(output_path: str | os.PathLike) -> OutputPlan:
    """Every name a command writing ``output_path`` uses (see the module docstring)."""
    output = Path(output_path)
    name = output.name
    base = name[: -len(output.suffix)] if output.suffix.lower() in TABLE_SUFFIXES else name
    parent = output.parent
    return OutputPlan(
        output=output,
        rejects=parent / f"{base}.rejects.csv",
        accounting=parent / f"{base}.accounting.json",
        parts=parent / f"{name}.parts",
        lock=parent / f"{name}.lock",
    )


def accounting_owner(plan: OutputPlan) -> str | None:
    """The output name the existing accounting file was written for, or None if not brandrep's."""
    try:
        payload = json.loads(plan.accounting.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(payload, dict) and payload.get("written_by") == WRITTEN_BY:
        return str(payload.get("output"))
    return None


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def check_plan(plan: OutputPlan, *, reads=(), formats=()) -> None:
    """Refuse (:class:`OutputRefused`, exit 2) before any work when a planned file would harm
    an input or a file brandrep did not write; also OS problems seen in advance."""
    reads = [Path(r) for r in reads]
    for source in reads:
        if not source.exists():
            continue  # the reader names a missing input itself
        if source.is_dir():
            raise OutputRefused(f"cannot read {source}: it is a folder")
        if not os.access(source, os.R_OK):
            raise OutputRefused(f"cannot read {source}: permission denied")
    planned = plan.files(formats)
    for target in [*planned, plan.parts]:
        for source in reads:
            if _same(target, source) or (target == plan.parts and _inside(source, plan.parts)):
                raise OutputRefused(
                    f"refusing to write {target}: it is the input {source}; choose another --output"
                )
    for parent in {p.parent for p in planned}:
        for ancestor in [parent, *parent.parents]:
            if ancestor.exists() and not ancestor.is_dir():
                raise OutputRefused(f"cannot write under {parent}: {ancestor} is a file, not a folder")
        if parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK):
            raise OutputRefused(f"cannot write into {parent}: permission denied (read-only folder?)")
    for target in planned:
        if target.is_dir():
            raise OutputRefused(f"cannot write {target}: it is a folder")
    owner = accounting_owner(plan)
    for side in (plan.rejects, plan.accounting):
        if side.exists() and owner != plan.output.name:
            whose = f"it belongs to output {owner}" if owner else "brandrep did not write it"
            raise OutputRefused(
                f"refusing to overwrite {side}: {whose}; move it away or choose another --output"
            )
    if plan.parts.exists() and not (plan.parts.is_dir() and (plan.parts / MANIFEST).is_file()):
        raise OutputRefused(
            f"refusing to use {plan.parts}: it exists but is not a brandrep checkpoint folder "
            "(no manifest.json); it is neither resumed nor deleted. Move it away or choose another --output"
        )


class OutputLock:
    """``OUT.lock`` holding the running PID: one run per output. A lock of a dead PID is taken over."""

    def __init__(self, plan: OutputPlan):
        self.path = plan.lock

    def __enter__(self) -> "OutputLock":
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                pid = self._holder()
                if pid is None:
                    raise OutputRefused(f"refusing to use {self.path}: it exists and brandrep did not write it")
                if _alive(pid) and pid != os.getpid():
                    raise OutputRefused(
                        f"another brandrep run (PID {pid}) is writing this output; lock {self.path}. "
                        "Wait for it, or delete the lock if that process is not brandrep"
                    )
                self.path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            except OSError as error:
                raise OutputRefused(f"cannot create {self.path}: {error.strerror}") from None
            with os.fdopen(fd, "w") as handle:
                handle.write(f"{WRITTEN_BY} pid {os.getpid()}\n")
            return self
        raise OutputRefused(f"could not take the lock {self.path}")

    def _holder(self) -> int | None:
        try:
            words = self.path.read_text(encoding="utf-8").split()
        except (OSError, ValueError):
            return None
        if len(words) == 3 and words[0] == WRITTEN_BY and words[1] == "pid" and words[2].isdigit():
            return int(words[2])
        return None

    def __exit__(self, *exc) -> None:
        if self._holder() == os.getpid():
            self.path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(plan: OutputPlan, formats=()) -> None:
    """Temporary files of a killed write of this output (safe: we hold the lock)."""
    for target in plan.files(formats):
        for stale in target.parent.glob(plan.temp_pattern(target)):
            stale.unlink(missing_ok=True)
