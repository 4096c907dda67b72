"""`dej consensus`: compare enrichment outputs of several models offline and write a Markdown/HTML report.

Each input is a Parquet file of flattened enrichment rows (`silver_ai/job_enrichment` shape); a file may hold one
model or several (told apart by `provider`/`model_id` or a `model` column).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import polars as pl


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "consensus", help="multi-model agreement report from enrichment Parquet files"
    )
    parser.add_argument(
        "--inputs", nargs="+", required=True, type=Path, help="enrichment Parquet files (>= 1)"
    )
    parser.add_argument("--report", required=True, type=Path, help="Markdown report to write")
    parser.add_argument("--html", type=Path, help="also write a self-contained HTML report here")
    parser.add_argument(
        "--truth", type=Path, help="silver job_postings Parquet for LinkedIn ground-truth accuracy"
    )
    parser.add_argument("--config", type=Path, help="consensus YAML (default: the packaged consensus.yaml)")
    parser.add_argument("--fields-out", type=Path, help="write per-(job, field) results as Parquet")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a pass with ERROR severity is below its threshold"
    )
    parser.set_defaults(func=run)


def _label_file(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    if "model" in frame.columns or {"provider", "model_id"} <= set(frame.columns):
        return frame
    return frame.with_columns(model=pl.lit(path.stem))  # a bare file is one model, named after the file


def run(args: argparse.Namespace) -> int:
    from dej_platform.consensus.agreement import evaluate_outputs
    from dej_platform.consensus.config import load_consensus_config
    from dej_platform.consensus.enrichment_adapter import registry_field_specs
    from dej_platform.consensus.fields import infer_field_specs
    from dej_platform.consensus.ground_truth import ground_truth_accuracy
    from dej_platform.consensus.report import ReportContext, render_html, render_markdown

    try:
        config = load_consensus_config(args.config)
        frames = []
        for path in args.inputs:
            frames.append(_label_file(pl.read_parquet(path), path))
        outputs = pl.concat(frames, how="diagonal_relaxed")
        if "job_posting_id" not in outputs.columns:
            raise ValueError("inputs have no job_posting_id column")
        specs = [s for s in registry_field_specs() if s.name in outputs.columns] or infer_field_specs(
            outputs.schema
        )
        result = evaluate_outputs(outputs, specs, config)
        truth = ground_truth_accuracy(pl.read_parquet(args.truth), outputs, config) if args.truth else None
    except (OSError, ValueError, pl.exceptions.PolarsError) as exc:
        print(f"dej consensus: {exc}", file=sys.stderr)
        return 2
    context = ReportContext(
        "Multi-model consensus (offline)",
        {
            "Inputs": ", ".join(p.name for p in args.inputs),
            "Jobs": outputs.get_column("job_posting_id").n_unique(),
        },
    )
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(render_markdown(result, truth, context), encoding="utf-8")
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_html(result, truth, context), encoding="utf-8")
    if args.fields_out:
        result.field_results.write_parquet(args.fields_out)
    for row in result.pass_summary.iter_rows(named=True):
        agreement = "-" if row["agreement"] is None else f"{row['agreement']:.1%}"
        print(
            f"pass {row['pass_number']}: {row['status']:<13} agreement {agreement:>6}  "
            f"evaluated {row['evaluated']}, all-abstained {row['abstained']}  {row['reason']}"
        )
    failed = result.pass_summary.filter(
        (pl.col("status") == "failed") & (pl.col("severity") == "error")
    ).height
    return 1 if args.strict and failed else 0
