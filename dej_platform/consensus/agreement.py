"""Agreement between N models' enrichment of the same jobs, field by field, pass by pass, model by model.

Rules (see docs/consensus.md):
- Every (job, field) is one evaluation over the models that produced that pass for that job. If all of them
  abstained (null, empty, `not_mentioned`) it is `abstained`: reported separately and kept out of the headline
  (the seed counted "everyone said nothing" as agreement). Fewer than `min_models` answers: `insufficient_models`.
- enum/bool: majority share (an abstention is a vote like any other value).
- number: the largest group of models within tolerance of one reported value, as a share; the relative tolerance
  is taken of the smaller magnitude of each pair (symmetric), or an absolute one where configured.
- list: items kept by at least `item_min_share` of models; score = mean of each model's coverage of the kept items.
- string: mean pairwise difflib similarity; the group is the models close enough to the medoid answer.
A field `has_consensus` when its majority group is strictly larger than `majority_share` of the models; a model
`agrees` when it is in that group and is an `outlier` when a consensus exists without it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from dej_platform.consensus.config import ConsensusConfig
from dej_platform.consensus.fields import FieldKind, FieldSpec, specs_present
from dej_platform.consensus.normalize import normalize_column

KEYS = ["job_posting_id", "field"]
OK_PASS_STATUSES = ("success", "cached")
_ABSTAIN_VOTE = "\x00abstain"
_EPS = 1e-9

FIELD_RESULT_SCHEMA: dict[str, pl.DataType] = {
    "job_posting_id": pl.String(),
    "field": pl.String(),
    "pass_number": pl.Int8(),
    "kind": pl.String(),
    "n_models": pl.Int32(),
    "n_abstained": pl.Int32(),
    "status": pl.String(),
    "score": pl.Float64(),
    "has_consensus": pl.Boolean(),
    "consensus_value": pl.String(),
    "spread": pl.Float64(),
}
MODEL_RESULT_SCHEMA: dict[str, pl.DataType] = {
    "job_posting_id": pl.String(),
    "field": pl.String(),
    "model": pl.String(),
    "value": pl.String(),
    "in_majority": pl.Boolean(),
    "coverage": pl.Float64(),
    "similarity": pl.Float64(),
}


@dataclass
class ConsensusResult:
    """Everything a report or a check needs; frames are small (sample-sized)."""

    models: list[str]
    field_results: pl.DataFrame
    model_results: pl.DataFrame
    pass_summary: pl.DataFrame
    field_summary: pl.DataFrame
    model_summary: pl.DataFrame
    kind_summary: pl.DataFrame
    missing_outputs: pl.DataFrame
    notes: list[str] = field(default_factory=list)

    def pass_row(self, pass_number: int) -> dict[str, Any]:
        rows = self.pass_summary.filter(pl.col("pass_number") == pass_number).to_dicts()
        return rows[0] if rows else {}


def with_model_label(outputs: pl.DataFrame) -> pl.DataFrame:
    """Ensure a `model` column (`provider/model_id`) identifying who produced each row."""
    if "model" in outputs.columns:
        return outputs.with_columns(pl.col("model").cast(pl.String))
    if {"provider", "model_id"} <= set(outputs.columns):
        return outputs.with_columns(
            model=pl.concat_str(
                [pl.col("provider").cast(pl.String), pl.col("model_id").cast(pl.String)], separator="/"
            )
        )
    raise ValueError("outputs need a `model` column or `provider` and `model_id` columns")


def _long_values(
    outputs: pl.DataFrame, specs: Sequence[FieldSpec], kind: FieldKind, config: ConsensusConfig
) -> pl.DataFrame:
    """One row per (job, field, model) for the fields of one kind, normalized, with failed passes removed."""
    chosen = [s for s in specs if s.kind == kind]
    if not chosen:
        return pl.DataFrame()
    cmp = config.comparison
    exprs = [
        normalize_column(
            s.name, kind, outputs.schema[s.name], cmp.synonyms, cmp.abstain_tokens, cmp.string.max_chars
        )
        for s in chosen
    ]
    status_cols = [c for c in (f"pass{n}_status" for n in (1, 2, 3)) if c in outputs.columns]
    wide = outputs.select("job_posting_id", "model", *status_cols, *exprs)
    long = wide.unpivot(
        index=["job_posting_id", "model", *status_cols],
        on=[s.name for s in chosen],
        variable_name="field",
        value_name="value",
    )
    passes = pl.DataFrame(
        {"field": [s.name for s in chosen], "pass_number": [s.pass_number for s in chosen]},
        schema={"field": pl.String, "pass_number": pl.Int8},
    )
    long = long.join(passes, on="field", how="left")
    if status_cols:
        status = pl.lit(None, dtype=pl.String)
        for col in status_cols:
            status = pl.when(pl.col("pass_number") == int(col[4])).then(pl.col(col)).otherwise(status)
        long = long.filter(status.is_null() | status.is_in(OK_PASS_STATUSES)).drop(status_cols)
    return long


def _categorical(long: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    votes = long.with_columns(vote=pl.col("value").fill_null(_ABSTAIN_VOTE))
    counts = votes.group_by([*KEYS, "vote"]).agg(votes=pl.len())
    top = (
        counts.sort(["votes", "vote"], descending=[True, False])
        .group_by(KEYS, maintain_order=True)
        .first()
        .rename({"vote": "top_vote", "votes": "top_votes"})
    )
    per_field = (
        votes.group_by(KEYS)
        .agg(n_models=pl.len(), n_abstained=pl.col("value").is_null().sum())
        .join(top, on=KEYS)
        .select(
            *KEYS,
            "n_models",
            "n_abstained",
            "top_votes",
            consensus_value=pl.when(pl.col("top_vote") == _ABSTAIN_VOTE)
            .then(pl.lit("(abstained)"))
            .otherwise(pl.col("top_vote")),
            spread=pl.lit(None, dtype=pl.Float64),
        )
    )
    per_model = votes.join(top.select(*KEYS, "top_vote"), on=KEYS).select(
        *KEYS,
        "model",
        value=pl.col("value"),
        in_majority=pl.col("vote") == pl.col("top_vote"),
        coverage=pl.lit(None, dtype=pl.Float64),
        similarity=pl.lit(None, dtype=pl.Float64),
    )
    return per_field, per_model


def _numeric(
    long: pl.DataFrame, specs: Sequence[FieldSpec], config: ConsensusConfig
) -> tuple[pl.DataFrame, pl.DataFrame]:
    names = sorted({s.name for s in specs if s.kind == "number"})
    tolerances = pl.DataFrame(
        {
            "field": names,
            "rel_tol": [config.comparison.numeric.for_field(n).relative for n in names],
            "abs_tol": [config.comparison.numeric.for_field(n).absolute for n in names],
        },
        schema={"field": pl.String, "rel_tol": pl.Float64, "abs_tol": pl.Float64},
    )
    values = long.join(tolerances, on="field", how="left")
    answered = values.filter(pl.col("value").is_not_null())
    candidates = answered.select(
        *KEYS, "rel_tol", "abs_tol", candidate=pl.col("value"), candidate_model=pl.col("model")
    )

    def within(x: pl.Expr, c: pl.Expr) -> pl.Expr:
        # Relative to the smaller magnitude, so "a agrees with b" is symmetric: 100 vs 105 is 5 % either way.
        smaller = pl.min_horizontal(x.abs(), c.abs())
        allowed = pl.max_horizontal(pl.col("rel_tol") * smaller, pl.col("abs_tol"))
        return (x - c).abs() <= allowed + _EPS * pl.max_horizontal(smaller, pl.lit(1.0))

    clusters = (
        candidates.join(answered.select(*KEYS, x=pl.col("value")), on=KEYS)
        .group_by([*KEYS, "candidate_model", "candidate", "rel_tol", "abs_tol"])
        .agg(size=within(pl.col("x"), pl.col("candidate")).sum())
        .sort(["size", "candidate", "candidate_model"], descending=[True, False, False])
        .group_by(KEYS, maintain_order=True)
        .first()
    )
    stats = values.group_by(KEYS).agg(
        n_models=pl.len(),
        n_abstained=pl.col("value").is_null().sum(),
        lo=pl.col("value").min(),
        hi=pl.col("value").max(),
        median=pl.col("value").median(),
    )
    per_field = stats.join(clusters.select(*KEYS, "candidate", "size"), on=KEYS, how="left").with_columns(
        size=pl.col("size").fill_null(0)
    )
    abstain_wins = pl.col("n_abstained") > pl.col("size")
    per_field = per_field.with_columns(
        abstain_wins=abstain_wins,
        top_votes=pl.when(abstain_wins).then(pl.col("n_abstained")).otherwise(pl.col("size")),
        consensus_value=pl.when(abstain_wins)
        .then(pl.lit("(abstained)"))
        .otherwise(pl.col("candidate").cast(pl.String)),
        spread=pl.when(pl.col("median").abs() > 0)
        .then((pl.col("hi") - pl.col("lo")) / pl.col("median").abs())
        .otherwise(None),
    )
    per_model = values.join(per_field.select(*KEYS, "candidate", "abstain_wins"), on=KEYS, how="left").select(
        *KEYS,
        "model",
        value=pl.col("value").cast(pl.String),
        in_majority=pl.when(pl.col("abstain_wins"))
        .then(pl.col("value").is_null())
        .otherwise(
            pl.col("value").is_not_null() & within(pl.col("value"), pl.col("candidate")).fill_null(False)
        ),
        coverage=pl.lit(None, dtype=pl.Float64),
        similarity=pl.lit(None, dtype=pl.Float64),
    )
    per_field = per_field.select(*KEYS, "n_models", "n_abstained", "top_votes", "consensus_value", "spread")
    return per_field, per_model


def _lists(long: pl.DataFrame, config: ConsensusConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
    cmp = config.comparison.list
    values = long.with_columns(n_items=pl.col("value").list.len())
    counts = values.group_by(KEYS).agg(n_models=pl.len(), n_abstained=(pl.col("n_items") == 0).sum())
    items = values.select(*KEYS, "model", item=pl.col("value")).explode("item").drop_nulls("item")
    kept = (
        items.group_by([*KEYS, "item"])
        .agg(k=pl.col("model").n_unique())
        .join(counts, on=KEYS)
        .filter(pl.col("k") / pl.col("n_models") >= cmp.item_min_share - _EPS)
        .select(*KEYS, "item")
    )
    kept_sets = kept.group_by(KEYS).agg(kept=pl.col("item").sort(), n_kept=pl.len())
    hits = items.join(kept, on=[*KEYS, "item"]).group_by([*KEYS, "model"]).agg(hits=pl.len())
    per_model = (
        values.join(kept_sets, on=KEYS, how="left")
        .join(hits, on=[*KEYS, "model"], how="left")
        .with_columns(n_kept=pl.col("n_kept").fill_null(0), hits=pl.col("hits").fill_null(0))
        .with_columns(
            coverage=pl.when(pl.col("n_kept") > 0)
            .then(pl.col("hits") / pl.col("n_kept"))
            .otherwise((pl.col("n_items") == 0).cast(pl.Float64))
        )
        .select(
            *KEYS,
            "model",
            value=pl.col("value").list.join(", "),
            in_majority=pl.col("coverage") >= cmp.model_min_coverage - _EPS,
            coverage="coverage",
            similarity=pl.lit(None, dtype=pl.Float64),
        )
    )
    per_field = (
        per_model.group_by(KEYS)
        .agg(score_mean=pl.col("coverage").mean(), top_votes=pl.col("in_majority").sum())
        .join(counts, on=KEYS)
        .join(kept_sets, on=KEYS, how="left")
        .select(
            *KEYS,
            "n_models",
            "n_abstained",
            "top_votes",
            consensus_value=pl.col("kept").list.join(", ").fill_null(""),
            spread=pl.lit(None, dtype=pl.Float64),
            list_score=pl.col("score_mean"),
        )
    )
    return per_field, per_model


def text_similarity(a: str | None, b: str | None) -> float:
    """difflib ratio on normalized text; two abstentions agree, an abstention and an answer do not."""
    if a is None or b is None:
        return 1.0 if a is None and b is None else 0.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def _strings(long: pl.DataFrame, config: ConsensusConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
    threshold = config.comparison.string.min_similarity
    field_rows: list[dict[str, object]] = []
    model_rows: list[dict[str, object]] = []
    for (job_id, field_name), group in long.sort("model").group_by(KEYS, maintain_order=True):
        models = group.get_column("model").to_list()
        texts = group.get_column("value").to_list()
        n = len(models)
        sims = [[text_similarity(texts[i], texts[j]) for j in range(n)] for i in range(n)]
        medoid = max(range(n), key=lambda i: (sum(sims[i]), -i))
        pairs = [sims[i][j] for i in range(n) for j in range(i + 1, n)]
        in_group = [sims[medoid][i] >= threshold - _EPS for i in range(n)]
        field_rows.append(
            {
                "job_posting_id": job_id,
                "field": field_name,
                "n_models": n,
                "n_abstained": sum(t is None for t in texts),
                "top_votes": sum(in_group),
                "consensus_value": texts[medoid] if texts[medoid] is not None else "(abstained)",
                "spread": None,
                "string_score": sum(pairs) / len(pairs) if pairs else 1.0,
            }
        )
        for i, model in enumerate(models):
            model_rows.append(
                {
                    "job_posting_id": job_id,
                    "field": field_name,
                    "model": model,
                    "value": texts[i],
                    "in_majority": in_group[i],
                    "coverage": None,
                    "similarity": sims[medoid][i],
                }
            )
    per_field = pl.DataFrame(
        field_rows,
        schema={
            "job_posting_id": pl.String,
            "field": pl.String,
            "n_models": pl.UInt32,
            "n_abstained": pl.UInt32,
            "top_votes": pl.UInt32,
            "consensus_value": pl.String,
            "spread": pl.Float64,
            "string_score": pl.Float64,
        },
    )
    return per_field, pl.DataFrame(model_rows, schema=MODEL_RESULT_SCHEMA)


def evaluate_outputs(
    outputs: pl.DataFrame, specs: Sequence[FieldSpec], config: ConsensusConfig
) -> ConsensusResult:
    """Compare the models' flattened outputs (one row per job x model) on every field in `specs`."""
    notes: list[str] = []
    outputs = with_model_label(outputs).with_columns(pl.col("job_posting_id").cast(pl.String))
    before = outputs.height
    outputs = outputs.unique(subset=["job_posting_id", "model"], keep="last", maintain_order=True)
    if outputs.height < before:
        notes.append(f"{before - outputs.height} duplicate (job, model) rows ignored (last one kept)")
    present = specs_present(specs, outputs.columns)
    absent = sorted({s.name for s in specs} - {s.name for s in present})
    if absent:
        notes.append(f"{len(absent)} registry fields absent from the outputs: {', '.join(absent[:10])}")
    models = sorted(outputs.get_column("model").unique().to_list())

    field_parts: list[pl.DataFrame] = []
    model_parts: list[pl.DataFrame] = []
    for kind in ("enum", "bool", "number", "list", "string"):
        long = _long_values(outputs, present, kind, config)  # type: ignore[arg-type]
        if long.is_empty():
            continue
        if kind in ("enum", "bool"):
            per_field, per_model = _categorical(long)
            per_field = per_field.with_columns(score=pl.col("top_votes") / pl.col("n_models"))
        elif kind == "number":
            per_field, per_model = _numeric(long, present, config)
            per_field = per_field.with_columns(score=pl.col("top_votes") / pl.col("n_models"))
        elif kind == "list":
            per_field, per_model = _lists(long, config)
            per_field = per_field.rename({"list_score": "score"})
        else:
            per_field, per_model = _strings(long, config)
            per_field = per_field.rename({"string_score": "score"})
        field_parts.append(
            per_field.select(
                *KEYS,
                n_models=pl.col("n_models").cast(pl.Int32),
                n_abstained=pl.col("n_abstained").cast(pl.Int32),
                top_votes=pl.col("top_votes").cast(pl.Int32),
                score=pl.col("score").cast(pl.Float64),
                consensus_value=pl.col("consensus_value").cast(pl.String),
                spread=pl.col("spread").cast(pl.Float64),
            )
        )
        model_parts.append(per_model.select([pl.col(c).cast(t) for c, t in MODEL_RESULT_SCHEMA.items()]))

    spec_frame = pl.DataFrame(
        {
            "field": [s.name for s in present],
            "pass_number": [s.pass_number for s in present],
            "kind": [s.kind for s in present],
        },
        schema={"field": pl.String, "pass_number": pl.Int8, "kind": pl.String},
    )
    empty_fields = pl.DataFrame(
        schema={
            **{k: FIELD_RESULT_SCHEMA[k] for k in KEYS},
            "n_models": pl.Int32,
            "n_abstained": pl.Int32,
            "top_votes": pl.Int32,
            "score": pl.Float64,
            "consensus_value": pl.String,
            "spread": pl.Float64,
        }
    )
    raw_fields = pl.concat([empty_fields, *field_parts], how="vertical")
    status = (
        pl.when(pl.col("n_models") < config.min_models)
        .then(pl.lit("insufficient_models"))
        .when(pl.col("n_abstained") == pl.col("n_models"))
        .then(pl.lit("abstained"))
        .otherwise(pl.lit("evaluated"))
    )
    evaluated = pl.col("status") == "evaluated"
    field_results = (
        raw_fields.join(spec_frame, on="field", how="left")
        .with_columns(status=status)
        .with_columns(
            has_consensus=evaluated
            & (pl.col("top_votes") / pl.col("n_models") > config.comparison.majority_share + _EPS),
            score=pl.when(evaluated).then(pl.col("score")).otherwise(None),
        )
        .select(list(FIELD_RESULT_SCHEMA))
        .sort(["pass_number", "field", "job_posting_id"])
    )
    model_results = (
        pl.concat([pl.DataFrame(schema=MODEL_RESULT_SCHEMA), *model_parts], how="vertical")
        .join(field_results.select(*KEYS, "pass_number", "kind", "status", "has_consensus"), on=KEYS)
        .with_columns(
            agrees=(pl.col("status") == "evaluated") & pl.col("has_consensus") & pl.col("in_majority"),
            outlier=(pl.col("status") == "evaluated") & pl.col("has_consensus") & ~pl.col("in_majority"),
        )
        .sort(["pass_number", "field", "job_posting_id", "model"])
    )
    missing = _missing_outputs(outputs, models)
    if len(models) < config.min_models:
        notes.append(
            f"consensus not evaluated: {len(models)} model(s) ({', '.join(models) or 'none'}) but it needs at "
            f"least {config.min_models} independent models"
        )
    return ConsensusResult(
        models=models,
        field_results=field_results,
        model_results=model_results,
        pass_summary=summarize_passes(field_results, models, config),
        field_summary=summarize_fields(field_results),
        model_summary=summarize_models(model_results),
        kind_summary=summarize_kinds(field_results),
        missing_outputs=missing,
        notes=notes,
    )


def _missing_outputs(outputs: pl.DataFrame, models: list[str]) -> pl.DataFrame:
    """Per model and pass: jobs with no usable output (no row, or the pass failed/was skipped)."""
    jobs = outputs.select("job_posting_id").unique()
    rows: list[dict[str, object]] = []
    for model in models:
        mine = outputs.filter(pl.col("model") == model)
        no_row = jobs.height - mine.height
        for n in (1, 2, 3):
            col = f"pass{n}_status"
            failed = mine.filter(~pl.col(col).is_in(OK_PASS_STATUSES)).height if col in mine.columns else 0
            rows.append({"model": model, "pass_number": n, "jobs_missing": no_row + failed})
    return pl.DataFrame(rows, schema={"model": pl.String, "pass_number": pl.Int8, "jobs_missing": pl.Int64})


def _field_aggregates() -> list[pl.Expr]:
    evaluated = pl.col("status") == "evaluated"
    return [
        (evaluated).sum().cast(pl.Int64).alias("evaluated"),
        (pl.col("status") == "abstained").sum().cast(pl.Int64).alias("abstained"),
        (pl.col("status") == "insufficient_models").sum().cast(pl.Int64).alias("insufficient"),
        pl.col("score").filter(evaluated).mean().alias("agreement"),
        pl.col("has_consensus").filter(evaluated).mean().alias("consensus_rate"),
    ]


def summarize_passes(field_results: pl.DataFrame, models: list[str], config: ConsensusConfig) -> pl.DataFrame:
    """Headline per pass: agreement over evaluated fields only, with abstentions counted beside it."""
    agg = field_results.group_by("pass_number").agg(_field_aggregates())
    rows: list[dict[str, object]] = []
    for n in (1, 2, 3):
        found = agg.filter(pl.col("pass_number") == n).to_dicts()
        row = found[0] if found else {"evaluated": 0, "abstained": 0, "insufficient": 0}
        threshold = config.threshold(n)
        agreement = row.get("agreement")
        if len(models) < config.min_models:
            status = "not_evaluated"
            reason = (
                f"{len(models)} model(s) configured ({', '.join(models) or 'none'}); consensus needs at least "
                f"{config.min_models} independent models"
            )
        elif not row["evaluated"]:
            status = "not_evaluated"
            reason = "no field of this pass was answered by enough models (all abstained, failed or missing)"
        elif agreement is not None and agreement >= threshold.min_agreement - _EPS:
            status, reason = "passed", ""
        else:
            status = "failed"
            reason = f"agreement {agreement:.3f} below {threshold.min_agreement:.2f}"
        total = int(row["evaluated"]) + int(row["abstained"])  # type: ignore[call-overload]
        rows.append(
            {
                "pass_number": n,
                "evaluated": int(row["evaluated"]),  # type: ignore[call-overload]
                "abstained": int(row["abstained"]),  # type: ignore[call-overload]
                "insufficient": int(row["insufficient"]),  # type: ignore[call-overload]
                "abstained_share": (int(row["abstained"]) / total) if total else None,  # type: ignore[call-overload]
                "agreement": agreement,
                "consensus_rate": row.get("consensus_rate"),
                "min_agreement": threshold.min_agreement,
                "severity": threshold.severity,
                "status": status,
                "reason": reason,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "pass_number": pl.Int8,
            "evaluated": pl.Int64,
            "abstained": pl.Int64,
            "insufficient": pl.Int64,
            "abstained_share": pl.Float64,
            "agreement": pl.Float64,
            "consensus_rate": pl.Float64,
            "min_agreement": pl.Float64,
            "severity": pl.String,
            "status": pl.String,
            "reason": pl.String,
        },
    )


def summarize_fields(field_results: pl.DataFrame) -> pl.DataFrame:
    return (
        field_results.group_by(["pass_number", "field", "kind"])
        .agg(_field_aggregates())
        .sort(["pass_number", "agreement", "field"], nulls_last=True)
    )


def summarize_kinds(field_results: pl.DataFrame) -> pl.DataFrame:
    return field_results.group_by("kind").agg(_field_aggregates()).sort("kind")


def summarize_models(model_results: pl.DataFrame) -> pl.DataFrame:
    """Per model and pass: how often it sides with the majority, and how often it is the odd one out."""
    evaluated = model_results.filter(pl.col("status") == "evaluated")
    per_pass = evaluated.group_by(["model", "pass_number"]).agg(
        evaluated=pl.len().cast(pl.Int64),
        agreement=pl.col("agrees").mean(),
        outlier_rate=pl.col("outlier").mean(),
        list_coverage=pl.col("coverage").mean(),
    )
    overall = evaluated.group_by("model").agg(
        evaluated=pl.len().cast(pl.Int64),
        agreement=pl.col("agrees").mean(),
        outlier_rate=pl.col("outlier").mean(),
        list_coverage=pl.col("coverage").mean(),
    )
    overall = overall.with_columns(pass_number=pl.lit(0, dtype=pl.Int8)).select(per_pass.columns)
    return pl.concat([per_pass, overall]).sort(["pass_number", "model"])
