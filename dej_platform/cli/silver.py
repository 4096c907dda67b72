"""`dej silver`: bronze JSONL (plain or gzip) -> silver Parquet, outside Dagster."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

DEFAULT_BATCH_LINES = 5_000  # as the Polars engine; not imported here so `dej --help` stays fast


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "silver",
        help="bronze JSONL[.gz] -> silver Parquet (typed, cleaned, deduped, skills)",
        description="Transform bronze Bright Data JSONL into the silver table; prints the outcome counts.",
    )
    parser.add_argument("--input", required=True, nargs="+", help="bronze .jsonl or .jsonl.gz file(s)")
    parser.add_argument("--output", required=True, help="silver Parquet file to write")
    parser.add_argument("--quarantine", help="quarantine Parquet file to write (rejected lines + reason)")
    parser.add_argument("--engine", choices=("polars", "spark"), default="polars")
    parser.add_argument(
        "--batch-lines", type=int, default=DEFAULT_BATCH_LINES, help="lines per batch (polars)"
    )
    parser.add_argument("--workers", type=int, default=1, help="processes for the per-record rules (polars)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.engine == "spark":
        from dej_platform.silver.engine_spark import local_spark_session, run_spark

        spark = local_spark_session()
        counts = run_spark(spark, args.input, args.output, args.quarantine)
    else:
        from dej_platform.silver.engine_polars import BronzeSource, run_polars

        counts = run_polars(
            [BronzeSource.from_path(p) for p in args.input],
            args.output,
            args.quarantine,
            batch_lines=args.batch_lines,
            workers=args.workers,
        )
    elapsed = time.perf_counter() - started
    summary = {
        **counts.as_dict(),
        "conserved": counts.conserved,
        "engine": args.engine,
        "seconds": round(elapsed, 3),
    }
    print(json.dumps(summary))
    return 0 if counts.conserved else 1
