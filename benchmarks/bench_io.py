"""Stress benchmark for the input layer: stream a generated one-million-row CSV in chunks.

Reports wall time, rows per second and peak resident memory (``resource.getrusage``, each
variant in its own process so one high-water mark does not hide another) for
``brandrep.io.iter_table_chunks`` and, as the reference measured in the same run,
``pandas.read_csv(chunksize=...)`` with every cell kept as a string. brandrep does more per row
(line numbers, rejects, raw text of bad rows, duplicate detection across chunks, encoding
detection), so the ratio says what that safety costs.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_io.py [--rows 1000000] [--chunk-size 100000]

The file gets 0.1% junk rows (wrong field count) and 1% exact duplicates so the hostile paths
run too; it is written with a fixed seed to a temporary folder and deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHRASES = [
    "小米智能门锁指纹识别经常失败", "售后客服一直不回复", "半夜误报警吵醒全家", "电池用了两个月就没电",
    "反锁后打不开门", "安装师傅迟迟不上门", "APP连不上网关", "把手松动质量太差", "申请退款被拒绝",
    "门锁挺好用的，推荐", "人脸识别很快", "物流很快，安装也专业",
]
BRANDS = ["小米", "美的", "格力", "海尔", "鹿客", "德施曼"]


def generate(path: Path, rows: int, seed: int = 20241226) -> dict:
    rng = random.Random(seed)
    junk = duplicates = 0
    previous = None
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("id,brand,text,stars\n")
        for i in range(rows):
            roll = rng.random()
            if roll < 0.001:
                handle.write(f"{i},junk row with,too,many,fields\n")
                junk += 1
                continue
            if roll < 0.011 and previous is not None:
                handle.write(previous)
                duplicates += 1
                continue
            text = "，".join(rng.choice(PHRASES) for _ in range(rng.randint(1, 4)))
            line = f"{i},{rng.choice(BRANDS)},\"{text}\",{rng.randint(1, 5)}\n"
            handle.write(line)
            previous = line
    return {"rows": rows, "junk": junk, "duplicates": duplicates, "bytes": path.stat().st_size}


def measure(variant: str, path: str, chunk_size: int) -> dict:
    start = time.perf_counter()
    if variant == "brandrep":
        from brandrep.io import Accounting, iter_table_chunks

        total = Accounting()
        for chunk in iter_table_chunks(path, required=("text", "brand"), chunk_size=chunk_size):
            total = total + chunk.accounting
        total.check()
        counts = total.as_dict()
    else:
        import pandas as pd

        rows = 0
        for chunk in pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=chunk_size, on_bad_lines="skip"):
            rows += len(chunk)
        counts = {"accepted": rows}
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    return {"variant": variant, "seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1), **counts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk-size", type=int, default=100_000)
    parser.add_argument("--measure", nargs=2, metavar=("VARIANT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], args.measure[1], args.chunk_size)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "complaints.csv"
        made = generate(path, args.rows)
        print(f"file: {made['rows']} rows, {made['bytes'] / 1e6:.1f} MB, "
              f"{made['junk']} junk rows, {made['duplicates']} duplicates; chunk size {args.chunk_size}")
        results = {}
        for variant in ("pandas", "brandrep"):
            out = subprocess.run(
                [sys.executable, __file__, "--chunk-size", str(args.chunk_size), "--measure", variant, str(path)],
                check=True, capture_output=True, text=True, env=os.environ,
            )
            results[variant] = json.loads(out.stdout.strip().splitlines()[-1])
            r = results[variant]
            print(f"{variant:>9}: {r['seconds']:7.2f} s  {args.rows / r['seconds']:>10,.0f} rows/s  "
                  f"peak RSS {r['peak_mb']:7.1f} MB")
        b = results["brandrep"]
        print(f"brandrep accounting: read {b['read']} = accepted {b['accepted']} + rejected {b['rejected']}"
              f" + duplicates {b['duplicates']}")
        print(f"time ratio brandrep / pandas: {b['seconds'] / results['pandas']['seconds']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
