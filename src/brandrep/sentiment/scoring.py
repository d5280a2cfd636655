"""Score a table of texts: one function for the command line, notebooks and Dask.

:func:`score_column` turns texts into columns: ``sentiment`` (SnowNLP's score, NaN when the
text could not be scored), ``sentiment_probability`` (that score mapped to P(positive) by the
shipped calibration, :mod:`brandrep.sentiment.calibration`), ``status`` (``""`` when scored, else
why not: ``empty``, ``no_chinese``, from :func:`brandrep.io.clean_text`) and ``topics``
(``"a;b"``).

Contract: by default (``clean=()``) ``sentiment`` is ``SnowNLP(text).sentiments`` for the
cell's string exactly as read, for every text with a Chinese character. Cleaning is opt-in and
named (``clean=("markup", "width", "whitespace", "simplified")``, see
:func:`brandrep.io.clean_text`); with any step on, the cleaned string is what is scored and it is
written as ``text_clean`` beside the original. Topic tags are always found on the text with
markup, width and whitespace cleaned (plus ``simplified`` when asked), because lexicon matching
(``ＡＰＰ`` vs ``APP``) should not depend on how the score was computed.

:func:`score_file` streams a file of any size through it in chunks (``brandrep score``):

* chunks come from :func:`brandrep.io.iter_table_chunks`, whose boundaries depend only on the
  file, so memory stays bounded by the chunk size times the number of chunks in flight;
* each scored chunk is saved as a checkpoint with :class:`brandrep.io.checkpoint.ChunkCheckpoint`
  (``OUT.parts/``, written atomically, with the chunk's rejects and accounting); a rerun after a
  crash or kill re-reads the file but does not rescore chunks that have a checkpoint, and parts
  of a run with another input or other options are refused, never mixed in;
* ``workers > 1`` scores chunks in that many processes, each writing its own chunk's
  checkpoint; the output is assembled in chunk order, so it does not depend on the number of
  workers;
* with ``workers > 1`` each worker reads its own chunks of a CSV/TSV (byte ranges) or Parquet
  file (row ranges), so the parent does not read the file (issue 17; see
  :func:`brandrep.io.reading.chunk_ranges`);
* the output (CSV with BOM or Parquet, by extension) is written from the checkpoints as each
  chunk finishes, in chunk order (:class:`brandrep.io.checkpoint.StreamedTables`), and moved into
  place at the end with ``OUT.rejects.csv`` (rows that could not be read) and
  ``OUT.accounting.json``, then the checkpoints are removed; the accounting (rows read = written
  + rejected) is checked.

:func:`score_dask` applies :func:`score_column` to each partition of a ``dask.dataframe``: the
same arithmetic, so a cluster gives exactly the single-process scores.
"""

from __future__ import annotations

import itertools
import logging
import operator
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from brandrep.errors import BrandrepError

ENGINES = ("fast", "snownlp")
SCORE_COLUMNS = ("sentiment", "sentiment_probability", "status", "topics")
CLEAN_COLUMN = "text_clean"
MODEL_COLUMN = "model_probability"  # an input column of that name is kept as model_probability_input
OUTPUT_SUFFIXES = (".csv", ".parquet")
CHECKPOINT_FORMAT = 2  # 2: markers say which line each chunk was read from (issue 17)
log = logging.getLogger("brandrep.sentiment")

# [wall seconds, CPU seconds of this process] per stage of score_file, summed over chunks, when
# a caller sets this to a dict (benchmarks/bench_sentiment.py does, with one worker); None, the
# default, times nothing. CPU seconds are what a stage costs on a machine shared with others.
STAGE_TIMES: dict | None = None


@contextmanager
def _stage(name: str):
    if STAGE_TIMES is None:
        yield
        return
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        spent = STAGE_TIMES.setdefault(name, [0.0, 0.0])
        spent[0] += time.perf_counter() - wall
        spent[1] += time.process_time() - cpu


def _timed(iterator, name: str):
    """``iterator``, with the time spent producing each item counted as stage ``name``."""
    iterator = iter(iterator)
    while True:
        with _stage(name):
            item = next(iterator, _timed)
        if item is _timed:
            return
        yield item


def score_column(texts: Sequence, *, engine: str = "fast", clean: Sequence[str] = (),
                 to_simplified: bool = False, model=None) -> pd.DataFrame:
    """The score columns for each text (index 0..n-1, same order); ``text_clean`` first when
    any cleaning step is on. ``to_simplified=True`` is the old spelling of ``clean`` + simplified.
    ``model`` (a path, see :mod:`brandrep.sentiment.trained`) adds ``model_probability``."""
    from brandrep.io.text import DEFAULT_STEPS, clean_texts, clean_texts_twice, parse_steps
    from brandrep.sentiment import textpath
    from brandrep.sentiment.engine import get_engine
    from brandrep.sentiment.topics import default_tagger

    if engine not in ENGINES:
        raise BrandrepError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    try:
        steps = parse_steps(tuple(clean) + (("simplified",) if to_simplified else ()))
    except ValueError as error:
        raise BrandrepError(str(error)) from None
    with _stage("clean"):
        # clean_texts: clean_text's values, decided for the whole chunk where that is provably
        # the same (most texts need no cleaning), text by text elsewhere
        topic_steps = parse_steps(DEFAULT_STEPS + tuple(s for s in steps if s == "simplified"))
        if set(steps) == set(topic_steps):
            tagged = scored = clean_texts(texts, steps=steps)
        else:
            scored, tagged = clean_texts_twice(texts, steps, topic_steps)
        usable = _distinct_usable(scored)
        # most chunks read as the tagging cleaning leaves them: the same texts are tagged
        same = tagged is scored or (tagged[1] == scored[1] and tagged[0] == scored[0])
        topic_texts = usable if same else _distinct_usable(tagged)
    fast = get_engine()
    tagger = default_tagger()
    with _stage("engine"):
        # one compiled pass per chunk: segmentation, stop words, Bayes sums and the topics of
        # one-character terms, for the scored texts and (when cleaned differently) the tagged ones
        if topic_texts is usable:
            analysed = usable
        else:
            known = set(usable)
            analysed = usable + [t for t in topic_texts if t not in known]
        codes = textpath.code_points(analysed)
        values, single_masks, *_ = fast.analyse_code_points(*codes, tagger.single_table)
    with _stage("topics"):
        if topic_texts is usable:  # the code points of the analysed texts are the tagged ones'
            tags = tagger.tag_with_single_masks(topic_texts, single_masks, codes)
        else:
            position = dict(zip(analysed, range(len(analysed))))
            topic_masks = single_masks[[position[t] for t in topic_texts]] if topic_texts else single_masks[:0]
            tags = tagger.tag_with_single_masks(topic_texts, topic_masks)
        topics = dict(zip(topic_texts, tags))
    if engine == "fast":
        scores = dict(zip(usable, values[:len(usable)].tolist()))
    else:
        from snownlp import SnowNLP

        with _stage("engine"):
            scores = {t: SnowNLP(t).sentiments for t in usable}
    with _stage("columns"):
        return _score_columns(scored, tagged, scores, topics, steps, model, usable)


def _distinct_usable(cleaned) -> list[str]:
    """The distinct texts with status ``""`` of (texts, statuses), in order of first appearance."""
    texts, statuses = cleaned
    return list(dict.fromkeys(itertools.compress(texts, map(operator.not_, statuses))))


def _score_columns(scored, tagged, scores: dict, topics: dict, steps, model=None, usable=()) -> pd.DataFrame:
    """``scored``, ``tagged``: (texts, statuses) as :func:`brandrep.io.text.clean_texts` gives them."""
    from brandrep.sentiment.calibration import shipped_calibration

    (scored_texts, scored_status), (tagged_texts, tagged_status) = scored, tagged
    n = len(scored_texts)
    # a status is decided by the cleaned string alone, so a string with one is never among the
    # scored (or tagged) ones: a look-up with a default is "NaN (or no topics) if status"
    sentiment = np.fromiter(map(scores.get, scored_texts, itertools.repeat(np.nan)), dtype=np.float64, count=n)
    tags = list(map(topics.get, tagged_texts, itertools.repeat("")))
    # a text scored as given but empty once cleaned for tagging simply has no topics; one that
    # could not be scored has none either
    for i in itertools.compress(range(n), scored_status):
        tags[i] = ""
    lengths = np.fromiter(map(len, scored_texts), dtype=np.float64, count=n)
    columns = {CLEAN_COLUMN: pd.array(scored_texts, dtype=object)} if steps else {}
    columns.update({
        "sentiment": sentiment,
        "sentiment_probability": shipped_calibration().predict(sentiment, lengths),
        "status": pd.array(scored_status, dtype=object),
        "topics": pd.array(tags, dtype=object),
    })
    if model is not None:
        columns[MODEL_COLUMN] = _model_probability(model, scored, usable)
    return pd.DataFrame(columns)


def _model_probability(model, scored, usable: list[str]) -> np.ndarray:
    """The trained model's P(positive) of the same string SnowNLP scored (NaN when not scored)."""
    from brandrep.sentiment.trained import cached_model

    probability = dict(zip(usable, cached_model(model).predict(usable)))
    texts, statuses = scored
    return np.array([np.nan if status else probability[text] for text, status in zip(texts, statuses)],
                    dtype=np.float64)


def score_frame(frame: pd.DataFrame, text_column: str, **options) -> pd.DataFrame:
    """``frame`` with ``sentiment``, ``status`` and ``topics`` appended (rows and index kept)."""
    if text_column not in frame.columns:
        raise BrandrepError(
            f"no text column {text_column!r}; the columns are: {', '.join(map(str, frame.columns))}"
        )
    return _append_scores(frame, score_column(frame[text_column].tolist(), **options))


def _append_scores(frame: pd.DataFrame, scored: pd.DataFrame) -> pd.DataFrame:
    """Input columns, then the scores; an input column already called ``topics`` (say, hand
    labels) is kept as ``topics_input`` rather than overwritten; when that name is taken too (an
    already-scored file scored again) as ``topics_input_2``, ``_3``... so no two columns collide."""
    scored.index = frame.index
    taken = set(frame.columns) | set(scored.columns)
    clash = {}
    for column in scored.columns:
        if column in frame.columns:
            new, n = f"{column}_input", 1
            while new in taken:
                n += 1
                new = f"{column}_input_{n}"
            clash[column] = new
            taken.add(new)
    return pd.concat([frame.rename(columns=clash), scored], axis=1)


def score_dask(ddf, text_column: str, **options):
    """Lazily score a ``dask.dataframe.DataFrame``; compute it on any cluster.

    Each partition goes through :func:`score_frame`, so the scores equal the single-process
    ones exactly (SnowNLP's arithmetic is per text; nothing is aggregated across partitions)::

        import dask.dataframe as dd
        from distributed import Client
        client = Client()                       # or Client("scheduler-address:8786")
        ddf = dd.read_parquet("complaints/*.parquet")
        score_dask(ddf, "text").to_parquet("scored/")
    """
    meta = score_frame(ddf._meta.copy(), text_column, **options)
    return ddf.map_partitions(score_frame, text_column, meta=meta, **options)


# ------------------------------------------------------------------------------------ files


@dataclass
class ScoreRun:
    output: Path
    rejects: Path
    accounting: object  # brandrep.io.Accounting
    written: int
    chunks: int
    resumed_chunks: int

    def line(self) -> str:
        return f"{self.accounting.line()}; rows written {self.written}"


def _score_chunk(checkpoint, number: int, frame: pd.DataFrame, text_column: str, options: dict,
                 rejects: pd.DataFrame, accounting, span: tuple = (None, None)):
    """Score one chunk and write its checkpoint; returns the rows written (a ``pyarrow.Table``)."""
    scored = score_column(frame[text_column].tolist(), **options)
    with _stage("columns"):
        scored = _append_scores(frame, scored)
    with _stage("write"):
        return checkpoint.write_chunk(number, scored, rejects=rejects, accounting=accounting, span=span)


def _score_chunk_in_worker(*job) -> int:
    """:func:`_score_chunk` in a worker process: the parent reads the part, so only its row
    count comes back (sending the table through a pipe costs more than reading it)."""
    return _score_chunk(*job).num_rows


def _chunk_frame(chunk, id_column: str | None, input_path) -> pd.DataFrame:
    """A chunk's rows as scored (the reader's line column dropped); a repeated id is reported."""
    from brandrep.io import LINE_COLUMN

    frame = chunk.frame.drop(columns=[LINE_COLUMN], errors="ignore").reset_index(drop=True)
    if id_column and frame[id_column].duplicated().any():
        first = frame[id_column][frame[id_column].duplicated()].iloc[0]
        log.warning("%s: id column %r repeats (e.g. %r); rows are kept", input_path, id_column, first)
    return frame


@dataclass
class _RangeScored:
    """What a worker reports of the chunk it read: where the next one starts."""

    next_line: int | None  # None: no record was left to read
    next_offset: int | None
    rows: int
    repairs: dict


def _score_range(checkpoint, ranges, number: int, line: int, offset: int, chunk_size: int,
                 text_column: str, id_column: str | None, options: dict) -> _RangeScored:
    """Read chunk ``number`` of a CSV from ``line`` (byte ``offset``) in this worker, score it and
    write its checkpoint; the parent accepts it only if its predecessor stopped at ``line``."""
    with _stage("read"):
        chunk = ranges.read(number, line, offset, chunk_size)
    if chunk is None:
        return _RangeScored(None, None, 0, {})
    frame = _chunk_frame(chunk, id_column, ranges.path)
    rows = _score_chunk_in_worker(checkpoint, number, frame, text_column, options, chunk.rejects, chunk.accounting,
                                  (chunk.start_line, chunk.next_line))
    next_offset = ranges.offset_of(chunk.next_line, line, offset)
    return _RangeScored(chunk.next_line, next_offset, rows, dict(chunk.repair_counts))


def _worker_dies_with_parent(parent_pid: int) -> None:
    """Worker initializer: no orphans scoring on (and ~300 MB each) after the parent is killed."""
    import os
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is reported once, by the parent
    # forked with SIGINT blocked (see _process_pool): a Ctrl-C that came before the line above is
    # pending, and is discarded now that it is ignored
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _process_pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing
    import os

    # fork shares the models already loaded in this process; elsewhere each worker loads them
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=_worker_dies_with_parent, initargs=(os.getpid(),))
    # Start the workers with Ctrl-C blocked, so none can be interrupted before its initializer
    # ignores it (a worker's traceback then printed beside the parent's one message); the parent
    # receives a Ctrl-C of that moment as soon as the workers are up.
    import signal

    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool.submit(os.getpid).result()
    finally:
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        except BaseException:
            _stop_workers(pool)
            raise
    return pool


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """On an interrupt or error: end the workers now rather than wait for their chunks."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def _score_ranges(ranges, checkpoint, pool, workers: int, chunk_size: int, text_column: str,
                  id_column: str | None, options: dict, finished) -> tuple[int, int]:
    """Score a CSV whose chunks the workers read themselves; returns (chunks, chunks resumed).

    Chunks are accepted in order, each only if it was read from the line its predecessor stopped
    at; the start of each chunk in flight is a guess from the file's bytes (see
    :mod:`brandrep.io.reading`, "byte ranges"). A wrong guess (a malformed quote, say) sends that
    chunk and the ones after it back to be read from the right line; nothing else changes.
    ``finished(number, rows)`` is called for each accepted chunk, in order.
    """
    from collections import Counter
    from concurrent.futures import wait

    from brandrep.io.reading import _describe_repairs

    line, offset = ranges.first_line, ranges.first_offset  # where the next accepted chunk starts
    number = resumed = 0
    while (marker := checkpoint.marker(number)) is not None and marker.get("start_line") == line:
        finished(number, marker["rows"])
        offset = ranges.offset_of(marker["next_line"], line, offset)
        line, number, resumed = marker["next_line"], number + 1, resumed + 1
    repairs: Counter = Counter()
    pending: deque = deque()  # (chunk number, guessed start line, future), in chunk order
    guesses: deque = deque()
    following = (number, line, offset) if offset < ranges.size else None  # the next chunk to submit
    job = (chunk_size, text_column, id_column, options)
    depth, misses = 2 * workers, 0  # chunks in flight; guesses that proved wrong
    while following is not None or pending:
        while following is not None and len(pending) < depth:
            n, at_line, at_offset = following
            pending.append((n, at_line, pool.submit(_score_range, checkpoint, ranges, n, at_line, at_offset, *job)))
            if not guesses:
                guesses.extend(ranges.guesses(at_line, at_offset, chunk_size, 4 * workers))
            following = (n + 1, *guesses.popleft()) if guesses else None
        n, at_line, future = pending[0]
        if at_line != line:  # guessed wrong: read this chunk (and the rest) again from `line`
            _discard(pending, wait)  # without waiting for its result, which may even be an error
            guesses.clear()
            following = (n, line, offset)
            misses += 1
            if misses > 2 and 4 * misses > n:
                # a file the guesses keep getting wrong: one chunk at a time from its known start,
                # so no work is thrown away (as slow as one worker, never slower)
                depth = 1
            continue
        pending.popleft()
        done = future.result()
        if done.next_line is None:  # nothing left but blank lines
            _discard(pending, wait)
            break
        number, line, offset = n + 1, done.next_line, done.next_offset
        repairs.update(done.repairs)
        finished(n, done.rows)
        if offset >= ranges.size:
            _discard(pending, wait)
            break
        if depth == 1 or (following is None and not pending):  # go on from the known start
            guesses.clear()
            following = (number, line, offset)
    if number == 0:  # a header and no line after it: one empty chunk, as when read from the start
        _score_range(checkpoint, ranges, 0, ranges.first_line, ranges.first_offset, *job)
        finished(0, 0)
        number = 1
    for repair in _describe_repairs(repairs):
        log.info("%s: repaired: %s", ranges.label, repair)
    return number, resumed


def _discard(pending: deque, wait) -> None:
    """Drop chunks read from guesses that proved wrong, once their workers are done with them
    (their parts are overwritten when they are read again, or left out of the assembly)."""
    futures = [future for _, _, future in pending]
    pending.clear()
    for future in futures:
        future.cancel()
    wait(futures)


def score_file(
    input_path,
    output_path,
    text_column: str,
    *,
    id_column: str | None = None,
    engine: str = "fast",
    workers: int = 1,
    chunk_size: int = 20_000,
    clean: str | Sequence[str] = (),
    to_simplified: bool = False,
    progress: bool = True,
    sheet: str | None = None,
    model=None,
) -> ScoreRun:
    """Score ``text_column`` of ``input_path`` into ``output_path`` (see the module docstring)."""
    from brandrep.io.outputs import OutputLock, OutputRefused, check_plan, plan_outputs

    input_path, output_path = Path(input_path), Path(output_path)
    suffix = output_path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise BrandrepError(f"--output must end in {' or '.join(OUTPUT_SUFFIXES)}: {output_path}")
    if engine not in ENGINES:
        raise BrandrepError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if workers < 1 or chunk_size < 1:
        raise BrandrepError("--workers and --chunk-size must be at least 1")
    steps = _clean_steps(clean, to_simplified)
    model_key = _model_key(model)
    plan = plan_outputs(output_path)
    formats = (suffix.lstrip("."),)
    # refuse before any row is read: nothing the user had may be changed
    check_plan(plan, reads=[input_path], formats=formats)
    with OutputLock(plan):
        try:
            return _score_locked(input_path, plan, formats, text_column, id_column, engine, workers,
                                 chunk_size, steps, progress, sheet, model_key)
        except OSError as error:
            where = error.filename or plan.output
            raise OutputRefused(f"cannot use {where}: {error.strerror or error}; "
                                f"the previous {plan.output.name}, if any, is intact") from None


def _clean_steps(clean, to_simplified: bool) -> tuple[str, ...]:
    """The cleaning steps asked for (``"markup,width"`` or a sequence; ``to_simplified`` is the old
    spelling of ``simplified``), checked before any row is read: an unknown step is refused input."""
    from brandrep.errors import InputError
    from brandrep.io.text import parse_steps

    spec = clean.split(",") if isinstance(clean, str) else list(clean)
    try:
        return parse_steps(spec + (["simplified"] if to_simplified else []))
    except ValueError as error:
        raise InputError(f"--clean: {error}") from None


def _model_key(model) -> dict:
    """``--model``, loaded (and so checked) before any row is read; its checksum goes into the
    checkpoint fingerprint, so parts scored with another model are never resumed."""
    if model is None:
        return {}
    from brandrep.sentiment.trained import cached_model

    return {"model": str(Path(model).resolve()), "model_sha256": cached_model(model).checksum}


def _score_locked(input_path, plan, formats, text_column, id_column, engine, workers, chunk_size,
                  steps, progress, sheet=None, model_key=None) -> ScoreRun:
    from tqdm import tqdm

    from brandrep.io import LINE_COLUMN, iter_table_chunks
    from brandrep.io.checkpoint import ChunkCheckpoint, StreamedTables, code_fingerprint, file_fingerprint

    required = (text_column,) + ((id_column,) if id_column and id_column != text_column else ())
    ranges = chunks = None
    if workers > 1 and sheet is None:
        from brandrep.io.reading import chunk_ranges

        # workers read their own byte ranges of a CSV/TSV, or row ranges of a Parquet file (issue 17);
        # None: the parent reads the file from the start
        ranges = chunk_ranges(input_path, required=required, text=(text_column,))
    if ranges is None:
        chunks = _timed(iter_table_chunks(input_path, required=required, dedupe=False, chunk_size=chunk_size,
                                          sheet=sheet, text=(text_column,)), "read")
        # read the first chunk now: a missing file or column stops here, before any checkpoint exists
        chunks = itertools.chain([next(chunks)], chunks)
    options = {"engine": engine, "clean": list(steps)}
    if model_key:
        options["model"] = model_key["model"]
    checkpoint = ChunkCheckpoint(plan.output, formats=formats, fingerprint={
        "command": "score", "checkpoint_format": CHECKPOINT_FORMAT, "code": code_fingerprint(),
        "input": file_fingerprint(input_path),
        "text_column": text_column, "id_column": id_column, "chunk_size": chunk_size, **options,
        **({"sheet": sheet} if sheet is not None else {}),
        **(model_key or {}),
    })

    n_chunks = resumed = 0
    pending: deque = deque()
    pool = None
    if workers > 1:
        import pyarrow.parquet  # noqa: F401  (each worker writes its parts with it)

        # load models, lexicon and every compiled kernel of the per-text path once, before forking
        score_column(["预热 ＡＰＰ a"], **{k: v for k, v in options.items() if k != "model"})
        pool = _process_pool(workers)
    bar = tqdm(unit=" rows", disable=not progress, desc="scoring", dynamic_ncols=True)
    # the output tables are written as chunks finish (in order), not in a second pass at the end
    streamed = StreamedTables(checkpoint)

    def finished(number: int, rows: int, table=None) -> None:
        bar.update(rows)
        with _stage("assemble"):
            streamed.add(number, table)

    try:
        if ranges is not None:
            n_chunks, resumed = _score_ranges(ranges, checkpoint, pool, workers, chunk_size, text_column,
                                              id_column, options, finished)
            chunks = ()
        for chunk in chunks:
            n_chunks += 1
            frame = _chunk_frame(chunk, id_column, input_path)
            if checkpoint.resumable(chunk.chunk, chunk.start_line):
                resumed += 1
                finished(chunk.chunk, len(frame))
                continue
            job = (checkpoint, chunk.chunk, frame, text_column, options, chunk.rejects, chunk.accounting,
                   (chunk.start_line, chunk.next_line))
            if pool is None:  # the table just written goes into the outputs as it is
                table = _score_chunk(*job)
                finished(chunk.chunk, table.num_rows, table)
                continue
            pending.append((chunk.chunk, pool.submit(_score_chunk_in_worker, *job)))
            while len(pending) > 2 * workers:  # bounded memory: few chunks in flight
                number, future = pending.popleft()
                finished(number, future.result())
        while pending:
            number, future = pending.popleft()
            finished(number, future.result())
    except BaseException:
        streamed.discard()
        if pool is not None:
            _stop_workers(pool)
            pool = None
        raise
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    with streamed, _stage("assemble"):
        accounting = checkpoint.assemble(expected_chunks=n_chunks, streamed=streamed)
    written = accounting.accepted + accounting.duplicates
    return ScoreRun(plan.output, plan.rejects, accounting, written, n_chunks, resumed)
