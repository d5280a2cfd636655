"""Resumable chunked outputs: a killed run picks up where it stopped, and ends byte-identical.

Long jobs (``brandrep score`` on a million texts) work chunk by chunk. Each finished chunk is
written atomically to ``OUT.csv.parts/NNNNN.parquet`` (every name from :mod:`brandrep.io.outputs`) followed by its marker ``NNNNN.json`` (the
chunk's accounting and rejects); a chunk counts as finished only when its marker exists, so a
kill between the two just redoes that chunk. When every chunk is done, :meth:`assemble` streams
the parts in chunk order into ``OUT.parquet`` and ``OUT.csv`` (UTF-8 with BOM, like
:func:`~brandrep.io.writing.write_table`), writes ``OUT.rejects.csv`` and
``OUT.accounting.json``, each atomically, and removes ``OUT.parts``. Because the final files are
built only from the parts, an interrupted-and-resumed run produces the same bytes as an
uninterrupted one. ``OUT.parts/manifest.json`` holds a fingerprint of the run (input file hash,
chunk size, engine, ...): parts from a run with other settings are never mixed in.

Usage (the caller reads every chunk, so duplicate detection across chunks stays the same; it
skips only the work)::

    from brandrep.io import iter_table_chunks
    from brandrep.io.checkpoint import ChunkCheckpoint, file_fingerprint

    checkpoint = ChunkCheckpoint(
        "out/scores.parquet",
        fingerprint={"input": file_fingerprint(src), "chunk_size": n, "engine": "fast"},
    )
    for chunk in iter_table_chunks(src, required=("text",), chunk_size=n):
        if checkpoint.is_done(chunk.chunk):
            continue
        checkpoint.write_chunk(chunk.chunk, score(chunk.frame), rejects=chunk.rejects,
                               accounting=chunk.accounting)
    total = checkpoint.assemble()   # -> Accounting of the whole input, checked
    print(total.line())

Chunks may be written in any order (several worker processes may each write their own chunk
numbers); :meth:`assemble` requires chunks ``0..N-1`` all present. A caller that knows when each
chunk is final can hand them, in order, to :class:`StreamedTables`, which writes the output
tables as the run goes on; :meth:`assemble` then only moves them into place (same bytes).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from brandrep.errors import BrandrepError
from brandrep.io.accounting import Accounting, write_accounting
from brandrep.io.outputs import MANIFEST, plan_outputs, remove_stale_temporaries
from brandrep.io.rejects import REJECT_COLUMNS, rejects_frame, write_rejects
from brandrep.io.writing import PARQUET_OPTIONS, atomic_path, excel_safe, write_text

_PART = re.compile(r"^(\d{5,})\.json$")

# Parts live only until assembly, which writes the outputs with its own options, so they are
# written for speed (issue 17): lz4, and no dictionary pages, which a column of distinct texts
# would build and then drop. Against zstd with dictionaries: about 40% less time to write and to
# read a part, and about 1.6 times the bytes on disk.
PART_OPTIONS = {"compression": "lz4", "use_dictionary": False, "write_statistics": False}


def file_fingerprint(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (streamed), to tie checkpoint parts to one exact input."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over brandrep's own files (code and shipped data) and SnowNLP's version: parts
    written by other code are never resumed into an output of this code."""
    from importlib.metadata import version

    import brandrep

    package = Path(brandrep.__file__).resolve().parent
    digest = hashlib.sha256(f"snownlp {version('snownlp')}\n".encode())
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class CheckpointMismatch(BrandrepError):
    """``OUT.parts`` holds chunks of a run with different settings or input."""


class ChunkCheckpoint:
    def __init__(self, output, *, fingerprint: dict, formats=("parquet", "csv"), restart: bool = False):
        self.plan = plan_outputs(output)
        self.output = self.plan.output
        self.formats = tuple(formats)
        self.parts_dir = self.plan.parts
        self.fingerprint = json.loads(json.dumps(fingerprint, sort_keys=True, default=str))
        manifest = self.parts_dir / MANIFEST
        if self.parts_dir.exists() and not manifest.is_file():
            # not brandrep's: never resumed, never deleted
            raise CheckpointMismatch(
                f"refusing to use {self.parts_dir}: it exists but is not a brandrep checkpoint folder "
                "(no manifest.json); move it away or choose another output"
            )
        if restart and self.parts_dir.exists():
            shutil.rmtree(self.parts_dir)
        if manifest.exists():
            found = json.loads(manifest.read_text(encoding="utf-8"))
            if found != self.fingerprint:
                changed = sorted(k for k in {*found, *self.fingerprint} if found.get(k) != self.fingerprint.get(k))
                raise CheckpointMismatch(
                    f"{self.parts_dir} holds an unfinished run with other settings ({', '.join(changed)} "
                    "differ); rerun with the same settings to resume, or delete that folder to start over"
                    + ("; 'code' means the parts were written by another version of brandrep, whose scores "
                       "cannot be mixed with this one's: delete the folder" if "code" in changed else "")
                )
        else:
            self.parts_dir.mkdir(parents=True, exist_ok=True)
            write_text(manifest, json.dumps(self.fingerprint, sort_keys=True, ensure_ascii=False, indent=1) + "\n")
        # temporary files of a write that was killed
        for stale in self.parts_dir.glob(".*.part"):
            stale.unlink()
        remove_stale_temporaries(self.plan, self.formats)

    # ---------------------------------------------------------------- chunks

    def _data(self, number: int) -> Path:
        return self.parts_dir / f"{number:05d}.parquet"

    def _marker(self, number: int) -> Path:
        return self.parts_dir / f"{number:05d}.json"

    def done(self) -> set[int]:
        """Chunk numbers whose data and marker are both written."""
        if not self.parts_dir.exists():
            return set()
        numbers = set()
        for path in self.parts_dir.iterdir():
            match = _PART.match(path.name)
            if match and self._data(int(match.group(1))).exists():
                numbers.add(int(match.group(1)))
        return numbers

    def is_done(self, number: int) -> bool:
        return self._marker(number).exists() and self._data(number).exists()

    def marker(self, number: int) -> dict | None:
        """The marker of a finished chunk (rows, accounting, rejects, start_line, next_line), or None."""
        if not self.is_done(number):
            return None
        return json.loads(self._marker(number).read_text(encoding="utf-8"))

    def resumable(self, number: int, start_line: int | None) -> bool:
        """Chunk ``number`` is finished and was read from ``start_line`` (a CSV chunk read by a
        worker from a guessed start that proved wrong is rescored, never assembled; issue 17)."""
        marker = self.marker(number)
        return marker is not None and marker.get("start_line") == start_line

    def write_chunk(self, number: int, frame: pd.DataFrame, *, rejects: pd.DataFrame | None = None,
                    accounting: Accounting | None = None, span: tuple = (None, None)) -> pa.Table:
        """Write one finished chunk: its output rows, then the marker that says it is done.
        ``span``: the lines the chunk's reading started on and the next chunk starts on (CSV).
        Returns the rows as written, so a caller in the same process can stream them into the
        outputs (:meth:`StreamedTables.add`) without reading the part again."""
        if accounting is None:
            accounting = Accounting(read=len(frame), accepted=len(frame))
        accounting.check()
        table = pa.Table.from_pandas(frame, preserve_index=False)
        with atomic_path(self._data(number)) as tmp:
            pq.write_table(table, tmp, **PART_OPTIONS)
        records = [] if rejects is None else _plain_records(rejects)
        marker = {"chunk": number, "rows": len(frame), "accounting": accounting.as_dict(), "rejects": records,
                  "start_line": span[0], "next_line": span[1]}
        write_text(self._marker(number), json.dumps(marker, ensure_ascii=False, sort_keys=True) + "\n")
        return table

    # ---------------------------------------------------------------- assembly

    def assemble(self, *, expected_chunks: int | None = None, streamed: "StreamedTables | None" = None) -> Accounting:
        """Join the parts in chunk order into the outputs; return the checked total accounting.
        ``streamed``: the tables already written part by part while the run went on, used
        when it holds every chunk (else they are built from the parts here)."""
        numbers = sorted(self.done())
        count = expected_chunks if expected_chunks is not None else (numbers[-1] + 1 if numbers else 0)
        missing = sorted(set(range(count)) - set(numbers))
        if missing or count == 0:
            raise BrandrepError(
                f"cannot assemble {self.output}: chunks {missing[:10] or 'all'} not finished "
                f"(parts in {self.parts_dir}); rerun to finish them"
            )
        markers = [json.loads(self._marker(n).read_text(encoding="utf-8")) for n in range(count)]
        total = sum((Accounting(**m["accounting"]) for m in markers), Accounting()).check()

        if streamed is not None and streamed.holds(count):
            streamed.commit()
        else:
            if streamed is not None:
                streamed.discard()
            self._write_tables(count)
        rejects = [r for m in markers for r in m["rejects"]]
        # accounting first: it marks the rejects file beside it as brandrep's for this output
        write_accounting(total, self.output)
        write_rejects(rejects_frame(rejects), self.output)
        shutil.rmtree(self.parts_dir)
        return total

    def _write_tables(self, count: int) -> None:
        schema = _unified_schema([pq.read_schema(self._data(n)) for n in range(count)])
        if "parquet" in self.formats:
            with atomic_path(self.plan.table("parquet")) as tmp:
                with pq.ParquetWriter(tmp, schema, **PARQUET_OPTIONS) as writer:
                    for n in range(count):
                        writer.write_table(_conform(pq.read_table(self._data(n)), schema))
        if "csv" in self.formats:
            with atomic_path(self.plan.table("csv")) as tmp:
                with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
                    for n in range(count):
                        _write_csv_part(handle, _conform(pq.read_table(self._data(n)), schema), n)

    def outputs(self) -> list[Path]:
        return [self.plan.table(f) for f in self.formats] + [self.plan.rejects, self.plan.accounting]


def _write_csv_part(handle, table: pa.Table, number: int) -> None:
    excel_safe(table.to_pandas()).to_csv(handle, index=False, header=(number == 0), lineterminator="\n")


class _Discarded(Exception):
    """Thrown into the streamed tables' atomic writes so that they remove their files."""


class StreamedTables:
    """The output tables written while a run goes on (issue 17): the caller adds each finished
    chunk in chunk order (resumed ones too), so that :meth:`ChunkCheckpoint.assemble` needs no
    second pass over the parts at the end, and with workers the parent does this work while
    they score. It holds only while every part has the first part's column types (the usual
    case); a part typed otherwise (a column missing or all-null in it) stops the streaming, and
    the tables are built from the parts at the end with the types unified, as before. Either way
    the bytes are the same. Written to temporary files, moved into place only by :meth:`commit`."""

    def __init__(self, checkpoint: ChunkCheckpoint):
        self.checkpoint = checkpoint
        self.added = 0
        self.schema: pa.Schema | None = None
        self.stopped = False
        self._files = contextlib.ExitStack()
        self._parquet = self._csv = None

    def __enter__(self):
        return self

    def __exit__(self, *error):
        self.discard()  # a no-op once committed by assemble; else an error or an interrupt
        return False

    def add(self, number: int, table: pa.Table | None = None) -> None:
        """Append chunk ``number``: ``table`` as :meth:`ChunkCheckpoint.write_chunk` returned it,
        or None to read its part (a resumed chunk, or one a worker wrote)."""
        if self.stopped:
            return
        if number != self.added:
            self.discard()  # never expected: callers add in order
            return
        if table is None:
            table = pq.read_table(self.checkpoint._data(number))
        if self.schema is None:
            self.schema = _unified_schema([table.schema])
            if "parquet" in self.checkpoint.formats:
                path = self._files.enter_context(atomic_path(self.checkpoint.plan.table("parquet")))
                self._parquet = self._files.enter_context(
                    pq.ParquetWriter(path, self.schema, **PARQUET_OPTIONS))
            if "csv" in self.checkpoint.formats:
                path = self._files.enter_context(atomic_path(self.checkpoint.plan.table("csv")))
                self._csv = self._files.enter_context(open(path, "w", encoding="utf-8-sig", newline=""))
        elif not table.schema.equals(self.schema, check_metadata=False):
            self.discard()
            return
        table = _conform(table, self.schema)
        if self._parquet is not None:
            self._parquet.write_table(table)
        if self._csv is not None:
            _write_csv_part(self._csv, table, number)
        self.added += 1

    def holds(self, count: int) -> bool:
        return not self.stopped and self.added == count

    def commit(self) -> None:
        """Close the tables and move them into place."""
        self.stopped = True
        self._files.close()

    def discard(self) -> None:
        """Remove the temporary tables."""
        if not self.stopped:
            self.stopped = True
            # leaving atomic_path with an exception removes its temporary file
            self._files.__exit__(_Discarded, _Discarded(), None)


def _plain_records(rejects: pd.DataFrame) -> list[dict]:
    if len(rejects) == 0:  # most chunks: to_dict alone would cost a millisecond
        return []
    out = []
    for record in rejects.to_dict("records"):
        row = {}
        for name in REJECT_COLUMNS:
            value = record.get(name, "")
            if name == "line":
                row[name] = None if pd.isna(value) else int(value)
            else:
                row[name] = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        out.append(row)
    return out


def _unified_schema(schemas: list[pa.Schema]) -> pa.Schema:
    # an all-missing column of one chunk is typed null; permissive promotion lets the other
    # chunks' type win. The first chunk's pandas metadata restores dtypes on reading.
    unified = pa.unify_schemas(schemas, promote_options="permissive")
    return unified.with_metadata(schemas[0].metadata)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    columns = []
    for field in schema:
        if field.name in table.column_names:
            columns.append(table.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(len(table), type=field.type))
    return pa.Table.from_arrays(columns, schema=schema)
