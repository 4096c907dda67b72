"""Gold assets: the star schema, the market aggregates and the HTML market report, one daily snapshot each.

Each asset audits before it publishes: the blocking checks (referential integrity, non-empty) run on the
computed tables, and a failure stops the step before anything is written, so a broken snapshot never lands
in the lake and nothing downstream runs on it.
"""

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

import dagster as dg

from dej_platform.gold.aggregates import build_aggregates
from dej_platform.gold.checks import CheckOutcome, non_empty, referential_integrity, salary_sanity
from dej_platform.gold.config import GoldSettings
from dej_platform.gold.lake_io import (
    GOLD_LAYER,
    REPORT_FILE,
    REPORT_TABLE,
    SUMMARY_FILE,
    MissingInputError,
    read_current,
    read_enrichment,
    read_gold_tables,
    write_gold_tables,
)
from dej_platform.gold.report import render_market_report
from dej_platform.gold.schema import AGGREGATE_SCHEMAS, STAR_SCHEMAS
from dej_platform.gold.star import StarSchema, build_star_schema, load_catalog_skills
from dej_platform.metadata import table_metadata
from dej_platform.partitions import daily_partitions, eager_with_lookback
from dej_platform.resources import LakeResource

CURRENT_KEY = dg.AssetKey(["silver", "job_postings_current"])
ENRICHMENT_KEY = dg.AssetKey(["silver_ai", "job_enrichment"])
CONSENSUS_KEY = dg.AssetKey(["silver_ai", "consensus"])  # its blocking check gates gold
FACT = "fact_job_postings"
BENCHMARKS = "agg_salary_benchmarks"

DESCRIPTIONS = {
    "fact_job_postings": "One row per job: keys to every dimension, annual USD salary, applicants, experience, "
    "skill counts, LLM scores and enrichment status.",
    "dim_company": "Companies (LinkedIn id, else normalized name) named as in their latest posting.",
    "dim_location": "City, region, country, continent, market region and remote flag.",
    "dim_date": "Calendar days the facts refer to: week, quarter, weekday.",
    "dim_skill": "Skills: canonical name, family and parent from the skills catalog.",
    "dim_seniority": "One seniority ladder for LLM-inferred and LinkedIn levels, with rank and group.",
    "dim_work_model": "Remote, hybrid, on-site, unknown.",
    "bridge_job_skill": "Job x skill, must-have vs nice-to-have, and whether the catalog or the LLM found it.",
    "agg_skill_demand_weekly": "Postings per skill by week x seniority x country, share and growth vs the previous 4 weeks.",
    "agg_salary_benchmarks": "Annual USD salary p10/p25/median/p75/p90 by seniority x country x quarter (published cells only).",
    "agg_market_shares": "Remote/hybrid/on-site, visa sponsorship and H-1B friendliness shares by country.",
    "agg_top_companies": "Top hiring companies per country and overall.",
    "agg_country_summary": "Per country: postings, companies, remote share, median salary, top skills.",
    "agg_skill_cooccurrence": "Skill pairs asked for together: support, confidence, lift, Jaccard.",
}


class GoldConfig(dg.Config):
    """Publication thresholds (see `GoldSettings`); defaults suit a laptop sample."""

    min_salary_sample: int = 5
    min_cooccurrence: int = 2
    top_companies: int = 25
    seniority_min_confidence: float = 0.5

    def settings(self) -> GoldSettings:
        return GoldSettings(
            min_salary_sample=self.min_salary_sample,
            min_cooccurrence=self.min_cooccurrence,
            top_companies=self.top_companies,
            seniority_min_confidence=self.seniority_min_confidence,
        )


def gold_key(name: str) -> dg.AssetKey:
    return dg.AssetKey([GOLD_LAYER, name])


def _spec(name: str, deps: Sequence[dg.AssetKey]) -> dg.AssetSpec:
    return dg.AssetSpec(
        gold_key(name),
        deps=deps,
        description=DESCRIPTIONS[name],
        automation_condition=eager_with_lookback(),
        group_name="gold",
        kinds={"polars", "parquet"},
    )


def _check_result(outcome: CheckOutcome, asset: str, warn: bool = False) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=gold_key(asset),
        check_name=outcome.name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.WARN if warn else dg.AssetCheckSeverity.ERROR,
        description=outcome.summary,
        metadata={
            k: dg.MetadataValue.json(v) if isinstance(v, dict | list) else v
            for k, v in outcome.metadata.items()
        },
    )


def _audit(outcomes: Sequence[tuple[CheckOutcome, str]]) -> Iterator[dg.AssetCheckResult]:
    """Yield the blocking checks' results and stop the step (before any write) if one failed."""
    for outcome, asset in outcomes:
        yield _check_result(outcome, asset)
    failed = [o for o, _ in outcomes if not o.passed]
    if failed:
        raise dg.Failure(
            description="gold not published: " + "; ".join(f"{o.name}: {o.summary}" for o in failed),
            metadata={o.name: o.summary for o in failed},
        )


def _run_error(exc: MissingInputError) -> dg.Failure:
    return dg.Failure(description=str(exc))


@dg.multi_asset(
    name="gold_star_schema",
    specs=[_spec(name, [CURRENT_KEY, ENRICHMENT_KEY, CONSENSUS_KEY]) for name in STAR_SCHEMAS],
    check_specs=[
        dg.AssetCheckSpec(
            "referential_integrity",
            asset=gold_key(FACT),
            blocking=True,
            description="Every fact and bridge key exists in its dimension; dimension keys are unique.",
        ),
        dg.AssetCheckSpec(
            "non_empty",
            asset=gold_key(FACT),
            blocking=True,
            description="The fact and its dimensions have rows.",
        ),
        dg.AssetCheckSpec(
            "salary_sanity",
            asset=gold_key(FACT),
            description="min <= max, no negative amounts, USD amounts plausible per pay period.",
        ),
    ],
    partitions_def=daily_partitions,
    can_subset=False,
)
def gold_star_schema(
    context: dg.AssetExecutionContext, lake: LakeResource, config: GoldConfig
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """The day's star schema from the silver snapshot of the day and every enrichment written up to it."""
    day = context.partition_key
    the_lake = lake.get_lake()
    settings = config.settings()
    try:
        current = read_current(the_lake, day)
    except MissingInputError as exc:
        raise _run_error(exc) from exc
    enrichment = read_enrichment(the_lake, day)
    catalog = load_catalog_skills()
    star = build_star_schema(current, enrichment, catalog, settings)
    tables = star.tables()
    yield from _audit([(referential_integrity(tables), FACT), (non_empty(tables), FACT)])
    writes = write_gold_tables(the_lake, tables, day)
    fact = star.fact_job_postings
    enrichment_counts = fact.group_by("enrichment_status").len().sort("enrichment_status")
    extra: dict[str, dict[str, Any]] = {
        FACT: {
            "silver_rows": current.height,
            "enrichment_rows_read": 0 if enrichment is None else enrichment.height,
            "enrichment_status": dg.MetadataValue.json(dict(enrichment_counts.iter_rows())),
            "postings_with_salary": int(fact["has_salary"].sum()),
        },
        "dim_skill": {
            "skills_catalog": "skills.catalog.load_catalog()" if catalog else "derived from silver"
        },
    }
    for name, df in tables.items():
        yield dg.MaterializeResult(
            asset_key=gold_key(name), metadata={**table_metadata(df, [writes[name]]), **extra.get(name, {})}
        )
    yield _check_result(salary_sanity(fact, None, settings), FACT)


@dg.multi_asset(
    name="gold_aggregates",
    specs=[_spec(name, [gold_key(n) for n in STAR_SCHEMAS]) for name in AGGREGATE_SCHEMAS],
    check_specs=[
        dg.AssetCheckSpec(
            "non_empty",
            asset=gold_key("agg_skill_demand_weekly"),
            blocking=True,
            description="Skill demand, market shares, top companies and countries have rows.",
        ),
        dg.AssetCheckSpec(
            "salary_sanity",
            asset=gold_key(BENCHMARKS),
            description="Published percentiles are ordered and inside the plausible annual range.",
        ),
    ],
    partitions_def=daily_partitions,
    can_subset=False,
)
def gold_aggregates(
    context: dg.AssetExecutionContext, lake: LakeResource, config: GoldConfig
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Market aggregates of the day's star schema."""
    day = context.partition_key
    the_lake = lake.get_lake()
    settings = config.settings()
    try:
        star = StarSchema(**read_gold_tables(the_lake, list(STAR_SCHEMAS), day))
    except MissingInputError as exc:
        raise _run_error(exc) from exc
    aggregates = build_aggregates(star, settings)
    yield from _audit([(non_empty(aggregates), "agg_skill_demand_weekly")])
    writes = write_gold_tables(the_lake, aggregates, day)
    suppressed = {BENCHMARKS: {"min_salary_sample": settings.min_salary_sample}}
    for name, df in aggregates.items():
        yield dg.MaterializeResult(
            asset_key=gold_key(name),
            metadata={**table_metadata(df, [writes[name]]), **suppressed.get(name, {})},
        )
    yield _check_result(salary_sanity(star.fact_job_postings, aggregates[BENCHMARKS], settings), BENCHMARKS)


@dg.asset(
    key=gold_key(REPORT_TABLE),
    deps=[gold_key(n) for n in (*STAR_SCHEMAS, *AGGREGATE_SCHEMAS)],
    partitions_def=daily_partitions,
    automation_condition=eager_with_lookback(),
    group_name="gold",
    kinds={"html"},
    description="Self-contained HTML market report (inline SVG charts, works offline) and its Markdown summary.",
)
def gold_market_report(context: dg.AssetExecutionContext, lake: LakeResource) -> dg.MaterializeResult:
    """Writes gold/market_report/dt=<day>/index.html (+ summary.md) and links it from the metadata."""
    day = context.partition_key
    the_lake = lake.get_lake()
    try:
        tables = read_gold_tables(the_lake, [*STAR_SCHEMAS, *AGGREGATE_SCHEMAS], day)
    except MissingInputError as exc:
        raise _run_error(exc) from exc
    report = render_market_report(tables, date.fromisoformat(day), datetime.now(UTC))
    page = the_lake.write_bytes(
        GOLD_LAYER, REPORT_TABLE, {"dt": day}, REPORT_FILE, report.html.encode("utf-8")
    )
    the_lake.write_bytes(GOLD_LAYER, REPORT_TABLE, {"dt": day}, SUMMARY_FILE, report.markdown.encode("utf-8"))
    metadata: dict[str, Any] = {
        "path": dg.MetadataValue.path(page.uri),
        "summary": dg.MetadataValue.md(report.markdown),
        "charts": len(report.charts),
        "bytes": page.size,
        "postings": tables[FACT].height,
    }
    if not the_lake.is_s3:
        from pathlib import Path

        metadata["report_url"] = dg.MetadataValue.url(Path(page.uri).as_uri())
    context.log.info(f"market report for {day}: {page.uri}")
    return dg.MaterializeResult(metadata=metadata)
