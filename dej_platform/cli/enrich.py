"""`dej enrich`: run the three enrichment passes over a silver Parquet file and write the flat table."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "enrich",
        help="enrich silver postings with an LLM provider (or offline rules)",
        description="Three-pass enrichment of a silver Parquet file into the silver_ai/job_enrichment columns.",
    )
    parser.add_argument(
        "--input", required=True, type=Path, help="silver Parquet file (silver/job_postings columns)"
    )
    parser.add_argument("--output", required=True, type=Path, help="output Parquet file")
    parser.add_argument("--provider", choices=("rules", "bedrock", "openai"), default="rules")
    parser.add_argument("--model", default=None, help="model id (default: the provider's default)")
    parser.add_argument("--budget-usd", type=float, default=None, help="stop launching calls past this spend")
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows")
    parser.add_argument("--prompt-version", default=None)
    parser.add_argument("--lake", default=None, help="lake URL for the enrichment cache (default: no cache)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import polars as pl

    from dej_platform.enrichment.cache import LakeEnrichmentCache
    from dej_platform.enrichment.execution import EnrichmentRunner, target_for
    from dej_platform.enrichment.flatten import outcomes_to_frame
    from dej_platform.enrichment.job import jobs_from_frame
    from dej_platform.enrichment.prompts import DEFAULT_PROMPT_VERSION
    from dej_platform.enrichment.providers import build_provider, default_model_for

    if not args.input.exists():
        print(f"dej enrich: input {args.input} does not exist", file=sys.stderr)
        return 2
    try:
        frame = pl.read_parquet(args.input)
    except Exception as exc:  # a corrupt or non-Parquet file
        print(f"dej enrich: cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    if args.limit is not None:
        frame = frame.head(args.limit)
    try:
        jobs = jobs_from_frame(frame)
    except KeyError as exc:
        print(f"dej enrich: {exc}", file=sys.stderr)
        return 2
    model_id = args.model or default_model_for(args.provider)
    cache = None
    if args.lake:
        from dej_platform.lake import Lake

        cache = LakeEnrichmentCache(Lake(args.lake))
    runner = EnrichmentRunner(
        [target_for(build_provider(args.provider), model_id)],
        cache=cache,
        budget_usd=args.budget_usd,
        prompt_version=args.prompt_version or DEFAULT_PROMPT_VERSION,
    )
    report = runner.run(jobs)
    out = outcomes_to_frame(report.outcomes)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    out.write_parquet(args.output, compression="zstd")
    summary = {
        "rows_in": frame.height,
        "rows_out": out.height,
        "provider": args.provider,
        "model_id": model_id,
        "status_counts": report.status_counts(),
        "cache_hits": report.cache_hits,
        "cost_usd": round(report.spent_usd, 6),
        "budget_refusals": report.budget_refusals,
        "output": str(args.output),
    }
    print(json.dumps(summary, indent=2))
    return 0
