"""The star schema: one fact row per job, its dimensions, and the job x skill bridge.

Inputs are the silver snapshot (`silver/job_postings_current`) and, when present, the LLM enrichment
(`silver_ai/job_enrichment`). Enrichment is optional per job and as a whole: a job without it keeps every
silver-derived measure and gets `enrichment_status = "missing"`. Keys are hashes of natural keys
(`gold.keys`), so the same job, company or skill has the same key in every run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from dej_platform.gold.config import GoldSettings
from dej_platform.gold.geography import UNKNOWN, country_frame
from dej_platform.gold.keys import key_of, surrogate_key
from dej_platform.gold.schema import (
    BRIDGE_JOB_SKILL_SCHEMA,
    DIM_COMPANY_SCHEMA,
    DIM_DATE_SCHEMA,
    DIM_LOCATION_SCHEMA,
    DIM_SENIORITY_SCHEMA,
    DIM_SKILL_SCHEMA,
    DIM_WORK_MODEL_SCHEMA,
    FACT_JOB_POSTINGS_SCHEMA,
    conform,
)
from dej_platform.silver.schema import JOB_POSTINGS_CURRENT_SCHEMA

UNKNOWN_CODE = "unknown"

# A pass counts only when its status says it succeeded; anything else (failed, skipped, error text) does not.
PASS_SUCCESS_STATUSES = frozenset({"success", "succeeded", "ok", "completed", "complete", "cached", "done"})

# (level, label, rank, group): the LLM's IC ladder plus LinkedIn's coarser labels, one vocabulary.
SENIORITY_LEVELS: tuple[tuple[str, str, int, str], ...] = (
    ("intern", "Intern", 1, "entry_level"),
    ("entry", "Entry", 2, "entry_level"),
    ("associate", "Associate", 3, "entry_level"),
    ("junior", "Junior", 4, "entry_level"),
    ("mid", "Mid", 5, "mid_level"),
    ("mid_senior", "Mid-Senior (LinkedIn)", 6, "mid_level"),
    ("senior", "Senior", 7, "senior"),
    ("staff", "Staff", 8, "staff_plus"),
    ("principal", "Principal", 9, "staff_plus"),
    ("distinguished", "Distinguished", 10, "staff_plus"),
    ("director", "Director", 11, "leadership"),
    ("executive", "Executive", 12, "leadership"),
    (UNKNOWN_CODE, "Unknown", 99, UNKNOWN_CODE),
)
_INFERRED_LEVELS = frozenset(level for level, *_ in SENIORITY_LEVELS[:10]) - {"mid_senior"}
LINKEDIN_SENIORITY_TO_LEVEL: dict[str, str] = {
    "internship": "intern",
    "entry": "entry",
    "associate": "associate",
    "mid_senior": "mid_senior",
    "director": "director",
    "executive": "executive",
}

# (work model, label, is_remote, requires_office)
WORK_MODELS: tuple[tuple[str, str, bool | None, bool | None], ...] = (
    ("remote", "Remote", True, False),
    ("hybrid", "Hybrid", False, True),
    ("onsite", "On-site", False, True),
    (UNKNOWN_CODE, "Unknown", None, None),
)
_KNOWN_WORK_MODELS = ("remote", "hybrid", "onsite")

# Enrichment columns gold reads, with the type it expects; absent columns become nulls.
ENRICHMENT_COLUMNS: dict[str, pl.DataType] = {
    "job_posting_id": pl.String(),
    "content_hash": pl.String(),
    "provider": pl.String(),
    "model_id": pl.String(),
    "pass1_status": pl.String(),
    "pass2_status": pl.String(),
    "pass3_status": pl.String(),
    "ext_visa_sponsorship_stated": pl.String(),
    "ext_work_model_stated": pl.String(),
    "ext_years_experience_min": pl.Float64(),
    "ext_years_experience_max": pl.Float64(),
    "ext_salary_min": pl.Float64(),
    "ext_salary_max": pl.Float64(),
    "ext_salary_currency": pl.String(),
    "ext_salary_period": pl.String(),
    "ext_must_have_hard_skills": pl.List(pl.String()),
    "ext_nice_to_have_hard_skills": pl.List(pl.String()),
    "inf_seniority_level": pl.String(),
    "inf_seniority_level_confidence": pl.Float64(),
    "inf_h1b_friendly": pl.Boolean(),
    "inf_job_family": pl.String(),
    "inf_primary_cloud": pl.String(),
    "anl_overall_red_flag_score": pl.Float64(),
    "anl_recommendation_score": pl.Float64(),
    "anl_data_maturity_score": pl.Float64(),
}
_PASS_OF_PREFIX = {"ext_": "pass1_status", "inf_": "pass2_status", "anl_": "pass3_status"}

# Salary period (silver or LLM spelling) -> multiplier to a year of full-time work.
ANNUAL_MULTIPLIER: dict[str, float] = {
    "year": 1.0,
    "yearly": 1.0,
    "annual": 1.0,
    "month": 12.0,
    "monthly": 12.0,
    "week": 52.0,
    "weekly": 52.0,
    "day": 260.0,
    "daily": 260.0,
    "hour": 2080.0,
    "hourly": 2080.0,
}

_LEGAL_SUFFIX = r"\b(inc|llc|ltd|limited|corp|corporation|co|plc|gmbh|ag|sa|bv|srl|pty)\b"


@dataclass(frozen=True)
class CatalogSkill:
    """One skill of the catalog as gold needs it (whatever shape the skills package gives)."""

    canonical: str
    family: str | None
    parent: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class StarSchema:
    fact_job_postings: pl.DataFrame
    dim_company: pl.DataFrame
    dim_location: pl.DataFrame
    dim_date: pl.DataFrame
    dim_skill: pl.DataFrame
    dim_seniority: pl.DataFrame
    dim_work_model: pl.DataFrame
    bridge_job_skill: pl.DataFrame

    def tables(self) -> dict[str, pl.DataFrame]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


# -- inputs ------------------------------------------------------------------------------------------------


def _text_to_list(text: str | None) -> list[str] | None:
    """A JSON array stored as text, or a comma-separated string; anything unparsable becomes null."""
    if text is None:
        return None
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            value = json.loads(stripped)
        except ValueError:
            return None
        return [str(v).strip() for v in value if v is not None] if isinstance(value, list) else None
    return [part.strip() for part in stripped.split(",") if part.strip()]


def _text_to_lists(series: pl.Series) -> pl.Series:
    return pl.Series(series.name, [_text_to_list(v) for v in series.to_list()], dtype=pl.List(pl.String()))


def _coerce(name: str, source: pl.DataType, target: pl.DataType) -> pl.Expr:
    """Cast defensively: a bad value becomes null instead of failing the whole gold run."""
    col = pl.col(name)
    if source == target:
        return col
    if isinstance(target, pl.List):
        if source == pl.String():
            return col.map_batches(_text_to_lists, return_dtype=pl.List(pl.String()))
        if isinstance(source, pl.List):
            return col.list.eval(pl.element().cast(pl.String()))
        return pl.lit(None, dtype=target)
    if target == pl.Boolean() and source == pl.String():
        lowered = col.str.strip_chars().str.to_lowercase()
        return (
            pl.when(lowered.is_in(["true", "yes", "1"]))
            .then(True)
            .when(lowered.is_in(["false", "no", "0"]))
            .then(False)
            .otherwise(None)
        )
    if target == pl.Float64() and source == pl.String():
        return col.str.replace_all(r"[$€£,\s]", "").cast(pl.Float64(), strict=False)
    if target == pl.String() and isinstance(source, pl.List | pl.Struct):
        return pl.lit(None, dtype=pl.String())
    return col.cast(target, strict=False)


def prepare_silver(current: pl.DataFrame) -> pl.DataFrame:
    """Silver with every contract column present and one row per job (the latest seen wins)."""
    missing = [c for c in ("job_posting_id",) if c not in current.columns]
    if missing:
        raise ValueError(f"silver/job_postings_current lacks required columns {missing}")
    shaped = current.select(
        [
            (_coerce(name, current.schema[name], dtype) if name in current.columns else pl.lit(None))
            .cast(dtype, strict=False)
            .alias(name)
            for name, dtype in JOB_POSTINGS_CURRENT_SCHEMA.items()
        ]
    )
    return (
        shaped.filter(
            pl.col("job_posting_id").is_not_null() & (pl.col("job_posting_id").str.strip_chars() != "")
        )
        .with_columns(pl.col("source_system").fill_null("linkedin"))
        .sort(["last_seen_at", "scraped_at"], descending=True, nulls_last=True)
        .unique(subset=["source_system", "job_posting_id"], keep="first", maintain_order=True)
    )


def prepare_enrichment(enrichment: pl.DataFrame | None) -> pl.DataFrame:
    """One enrichment row per job with the columns gold reads; a failed pass's columns are nulled.

    Several rows per job (re-enrichment, several models) resolve to the latest partition, then model id.
    """
    empty = pl.DataFrame(
        schema={**ENRICHMENT_COLUMNS, "passes_succeeded": pl.Int8(), "passes_known": pl.Int8()}
    )
    if enrichment is None or enrichment.is_empty() or "job_posting_id" not in enrichment.columns:
        return empty
    order_cols = [c for c in ("dt", "hr", "enriched_at", "model_id") if c in enrichment.columns]
    df = enrichment.sort(order_cols, descending=True, nulls_last=True) if order_cols else enrichment
    df = df.select(
        [
            (_coerce(name, df.schema[name], dtype) if name in df.columns else pl.lit(None))
            .cast(dtype, strict=False)
            .alias(name)
            for name, dtype in ENRICHMENT_COLUMNS.items()
        ]
    )
    df = df.filter(pl.col("job_posting_id").is_not_null()).unique(
        subset=["job_posting_id"], keep="first", maintain_order=True
    )
    status_present = {status: status in enrichment.columns for status in _PASS_OF_PREFIX.values()}
    ok = {
        status: pl.col(status).str.strip_chars().str.to_lowercase().is_in(list(PASS_SUCCESS_STATUSES))
        for status in _PASS_OF_PREFIX.values()
    }
    gated = []
    for name in ENRICHMENT_COLUMNS:
        status = next((s for p, s in _PASS_OF_PREFIX.items() if name.startswith(p)), None)
        if status is not None and status_present[status]:
            gated.append(pl.when(ok[status]).then(pl.col(name)).otherwise(None).alias(name))
    succeeded = [ok[s].fill_null(False).cast(pl.Int8) for s in ok if status_present[s]]
    passes_succeeded = pl.sum_horizontal(succeeded).cast(pl.Int8) if succeeded else pl.lit(None, pl.Int8)
    return df.with_columns(gated).with_columns(
        passes_succeeded=passes_succeeded,
        passes_known=pl.lit(sum(status_present.values()), dtype=pl.Int8),
    )


def catalog_skills_from(catalog: Any) -> list[CatalogSkill]:
    """Read skills from the skills package's catalog, whatever its container: objects or mappings."""
    if catalog is None:
        return []
    items: Iterable[Any] = getattr(catalog, "skills", catalog)
    if isinstance(items, Mapping):
        items = items.values()
    skills = []
    for item in items:
        get = item.get if isinstance(item, Mapping) else lambda k, d=None, _i=item: getattr(_i, k, d)
        canonical = get("canonical")
        if not canonical:
            continue
        parent = get("parent")
        parent_name = getattr(parent, "canonical", parent) if parent is not None else None
        aliases = get("variations") or get("aliases") or ()
        skills.append(
            CatalogSkill(
                canonical=str(canonical),
                family=str(get("family")) if get("family") else None,
                parent=str(parent_name) if parent_name else None,
                aliases=tuple(str(a) for a in aliases),
            )
        )
    return skills


def load_catalog_skills() -> list[CatalogSkill]:
    """The skills catalog (`dej_platform.skills.catalog.load_catalog()`); without one, silver decides alone."""
    try:
        from dej_platform.skills.catalog import load_catalog
    except ImportError:
        return []
    return catalog_skills_from(load_catalog())


# -- dimensions --------------------------------------------------------------------------------------------


def build_dim_seniority() -> pl.DataFrame:
    rows = [
        {
            "seniority_key": key_of("seniority", level),
            "seniority_level": level,
            "label": label,
            "seniority_rank": rank,
            "seniority_group": group,
        }
        for level, label, rank, group in SENIORITY_LEVELS
    ]
    return conform(pl.DataFrame(rows), DIM_SENIORITY_SCHEMA)


def build_dim_work_model() -> pl.DataFrame:
    rows = [
        {
            "work_model_key": key_of("work_model", model),
            "work_model": model,
            "label": label,
            "is_remote": remote,
            "requires_office": office,
        }
        for model, label, remote, office in WORK_MODELS
    ]
    return conform(pl.DataFrame(rows, schema=DIM_WORK_MODEL_SCHEMA), DIM_WORK_MODEL_SCHEMA)


def build_dim_date(dates: pl.Series) -> pl.DataFrame:
    """Every day between the first and last date any fact row refers to."""
    dates = dates.drop_nulls()
    if dates.is_empty():
        return pl.DataFrame(schema=DIM_DATE_SCHEMA)
    first, last = dates.min(), dates.max()
    assert isinstance(first, date) and isinstance(last, date)
    days = pl.date_range(first, last, interval="1d", eager=True).alias("full_date")
    df = pl.DataFrame({"full_date": days}).with_columns(
        date_key=_date_key(pl.col("full_date")),
        year=pl.col("full_date").dt.year(),
        quarter=pl.col("full_date").dt.quarter(),
        quarter_label=_quarter_label(pl.col("full_date")),
        month=pl.col("full_date").dt.month(),
        month_name=pl.col("full_date").dt.strftime("%B"),
        iso_week=pl.col("full_date").dt.week(),
        week_start=pl.col("full_date").dt.truncate("1w"),
        day_of_week=pl.col("full_date").dt.weekday(),
        day_name=pl.col("full_date").dt.strftime("%A"),
        is_weekend=pl.col("full_date").dt.weekday() >= 6,
    )
    return conform(df, DIM_DATE_SCHEMA)


def _date_key(date: pl.Expr) -> pl.Expr:
    return date.dt.strftime("%Y%m%d").cast(pl.Int32)


def _quarter_label(date: pl.Expr) -> pl.Expr:
    return pl.format("{}-Q{}", date.dt.year(), date.dt.quarter())


def normalized_company_name(name: pl.Expr) -> pl.Expr:
    """Lower case, punctuation and legal suffixes dropped: "Acme, Inc." and "ACME" are one company."""
    cleaned = name.str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", " ")
    return cleaned.str.replace_all(_LEGAL_SUFFIX, " ").str.replace_all(r"\s+", " ").str.strip_chars()


def _company_natural_key() -> pl.Expr:
    company_id = pl.col("company_id").str.strip_chars()
    normalized = normalized_company_name(pl.col("company_name"))
    return (
        pl.when(company_id.is_not_null() & (company_id != ""))
        .then(pl.concat_str([pl.lit("id:"), company_id]))
        .when(normalized.is_not_null() & (normalized != ""))
        .then(pl.concat_str([pl.lit("name:"), normalized]))
        .otherwise(pl.lit(UNKNOWN_CODE))
    )


def build_dim_company(jobs: pl.DataFrame) -> pl.DataFrame:
    """One row per company seen in the snapshot, named as in its most recent posting."""
    df = (
        jobs.sort("last_seen_at", descending=True, nulls_last=True)
        .group_by("company_natural_key", maintain_order=True)
        .agg(
            company_key=pl.col("company_key").first(),
            company_id=pl.col("company_id").drop_nulls().first(),
            company_name=pl.col("company_name").drop_nulls().first(),
            company_url=pl.col("company_url").drop_nulls().first(),
            industry=pl.col("job_industries").list.first().drop_nulls().first(),
            job_postings=pl.len(),
            first_seen_at=pl.col("first_seen_at").min(),
            last_seen_at=pl.col("last_seen_at").max(),
        )
        .with_columns(
            company_name=pl.col("company_name").fill_null(UNKNOWN),
            company_name_normalized=normalized_company_name(pl.col("company_name")),
        )
        .sort("company_key")
    )
    return conform(df, DIM_COMPANY_SCHEMA)


def build_dim_location(jobs: pl.DataFrame) -> pl.DataFrame:
    df = (
        jobs.select("location_key", "city", "region", "country_code", "is_remote")
        .unique(subset=["location_key"], keep="first")
        .join(country_frame(), on="country_code", how="left")
        .with_columns(
            country_name=pl.col("country_name").fill_null(
                pl.when(pl.col("country_code") == UNKNOWN_CODE)
                .then(pl.lit(UNKNOWN))
                .otherwise(pl.col("country_code"))
            ),
            continent=pl.col("continent").fill_null(UNKNOWN),
            market_region=pl.col("market_region").fill_null(UNKNOWN),
        )
        .sort("location_key")
    )
    return conform(df, DIM_LOCATION_SCHEMA)


def _silver_skill_families(silver: pl.DataFrame) -> pl.DataFrame:
    """(skill, family) from silver where `skills` and `skills_families` line up one to one."""
    aligned = silver.filter(
        pl.col("skills").list.len().eq(pl.col("skills_families").list.len())
        & pl.col("skills").list.len().gt(0)
    )
    if aligned.is_empty():
        return pl.DataFrame(schema={"skill": pl.String, "family": pl.String})
    return (
        aligned.select(pl.col("skills").alias("skill"), pl.col("skills_families").alias("family"))
        .explode(["skill", "family"])
        .drop_nulls("skill")
        .group_by("skill")
        .agg(pl.col("family").drop_nulls().mode().sort().first())
    )


def build_dim_skill(silver: pl.DataFrame, catalog: list[CatalogSkill]) -> pl.DataFrame:
    """Catalog skills (canonical, family, parent) plus any skill silver detected that the catalog lacks."""
    catalog_df = pl.DataFrame(
        [{"skill": s.canonical, "family": s.family, "parent": s.parent} for s in catalog],
        schema={"skill": pl.String, "family": pl.String, "parent": pl.String},
    ).unique(subset=["skill"], keep="first", maintain_order=True)
    seen = silver.select(pl.col("skills").explode().alias("skill")).drop_nulls().unique()
    extra = (
        seen.join(catalog_df, on="skill", how="anti")
        .join(_silver_skill_families(silver), on="skill", how="left")
        .with_columns(parent=pl.lit(None, pl.String))
    )
    df = pl.concat([catalog_df, extra.select("skill", "family", "parent")]).with_columns(
        family=pl.col("family").fill_null(UNKNOWN_CODE), skill_key=surrogate_key("skill", pl.col("skill"))
    )
    return conform(df.sort("skill"), DIM_SKILL_SCHEMA)


# -- the fact and the bridge -------------------------------------------------------------------------------


def _lower_list(col: str) -> pl.Expr:
    return pl.col(col).list.eval(pl.element().str.strip_chars().str.to_lowercase())


def build_bridge(jobs: pl.DataFrame, dim_skill: pl.DataFrame, catalog: list[CatalogSkill]) -> pl.DataFrame:
    """Job x skill with must-have vs nice-to-have, from silver's detection and the LLM's classified lists.

    LLM skill names are free text: they count only when they match a known skill or catalog alias
    (case-insensitive), so the bridge never invents skills outside dim_skill.
    """
    lookup_rows = [(s.lower(), s) for s in dim_skill["skill"].to_list()]
    lookup_rows += [(alias.lower(), s.canonical) for s in catalog for alias in s.aliases]
    lookup = pl.DataFrame(lookup_rows, schema={"name": pl.String, "skill": pl.String}, orient="row").unique(
        subset=["name"], keep="first", maintain_order=True
    )

    def exploded(list_col: str, label: str) -> pl.DataFrame:
        return (
            jobs.select("job_key", pl.col(list_col).alias("name"))
            .explode("name")
            .drop_nulls("name")
            .with_columns(pl.col("name").str.strip_chars().str.to_lowercase())
            .join(lookup, on="name", how="inner")
            .select("job_key", "skill", pl.lit(label).alias("kind"))
        )

    parts = [
        exploded("skills", "catalog"),
        exploded("skills_must_have", "must"),
        exploded("skills_nice_to_have", "nice"),
        exploded("ext_must_have_hard_skills", "llm_must"),
        exploded("ext_nice_to_have_hard_skills", "llm_nice"),
    ]
    kinds = pl.concat(parts).unique()
    kind = pl.col("kind")
    bridge = (
        kinds.group_by("job_key", "skill")
        .agg(
            in_catalog=kind.is_in(["catalog", "must", "nice"]).any(),
            in_llm=kind.is_in(["llm_must", "llm_nice"]).any(),
            must=kind.is_in(["must", "llm_must"]).any(),
            nice=kind.is_in(["nice", "llm_nice"]).any(),
        )
        .with_columns(
            requirement=pl.when("must")
            .then(pl.lit("must_have"))
            .when("nice")
            .then(pl.lit("nice_to_have"))
            .otherwise(pl.lit("unspecified")),
            source=pl.when(pl.col("in_catalog") & pl.col("in_llm"))
            .then(pl.lit("catalog+llm"))
            .when("in_catalog")
            .then(pl.lit("catalog"))
            .otherwise(pl.lit("llm")),
        )
        .join(dim_skill.select("skill", "skill_key"), on="skill", how="left")
        .sort("job_key", "skill")
    )
    return conform(bridge, BRIDGE_JOB_SKILL_SCHEMA)


def _annual_usd(amount: str, currency: str, period: str) -> pl.Expr:
    multiplier = (
        pl.col(period)
        .str.to_lowercase()
        .replace_strict(ANNUAL_MULTIPLIER, default=None, return_dtype=pl.Float64)
    )
    is_usd = pl.col(currency).str.strip_chars().str.to_uppercase().is_in(["USD", "$", "US$"])
    return pl.when(is_usd).then(pl.col(amount) * multiplier).otherwise(None)


def _jobs_frame(silver: pl.DataFrame, enrichment: pl.DataFrame, settings: GoldSettings) -> pl.DataFrame:
    """Silver joined to its enrichment with every resolved attribute and key the fact and dims need."""
    countries = country_frame()
    name_to_code = countries.select(
        pl.col("country_name").str.to_lowercase().alias("_country_lower"),
        pl.col("country_code").alias("_code_by_name"),
    )
    enr = enrichment.rename({c: f"enr_{c}" for c in ("content_hash", "provider", "model_id")})
    df = (
        silver.join(enr, on="job_posting_id", how="left")
        .with_columns(_country_lower=pl.col("location_country").str.strip_chars().str.to_lowercase())
        .join(name_to_code, on="_country_lower", how="left")
    )
    code = pl.col("country_code").str.strip_chars().str.to_uppercase()
    parsed = pl.col("location_country").str.strip_chars().str.to_uppercase()
    inferred = pl.col("inf_seniority_level").str.strip_chars().str.to_lowercase()
    confident = pl.col("inf_seniority_level_confidence").is_null() | (
        pl.col("inf_seniority_level_confidence") >= settings.seniority_min_confidence
    )
    linkedin_level = pl.col("seniority").replace_strict(LINKEDIN_SENIORITY_TO_LEVEL, default=None)
    stated_model = pl.col("ext_work_model_stated").str.strip_chars().str.to_lowercase()
    use_inferred = inferred.is_in(list(_INFERRED_LEVELS)) & confident
    use_stated = stated_model.is_in(list(_KNOWN_WORK_MODELS))
    silver_model_known = pl.col("work_model").is_in(list(_KNOWN_WORK_MODELS))
    has_enrichment = pl.col("enr_model_id").is_not_null() | pl.col("passes_known").is_not_null()

    df = df.with_columns(
        # Silver's location_country is already ISO alpha-2 (parsed, with Bright Data's code winning when valid);
        # a name there (older silver) or the raw country_code are fallbacks.
        country_code=pl.when(parsed.is_not_null() & (parsed.str.len_chars() == 2))
        .then(parsed)
        .when(code.is_not_null() & (code.str.len_chars() == 2))
        .then(code)
        .otherwise(pl.col("_code_by_name"))
        .fill_null(UNKNOWN_CODE),
        seniority_level=pl.when(use_inferred)
        .then(inferred)
        .otherwise(linkedin_level)
        .fill_null(UNKNOWN_CODE),
        seniority_source=pl.when(use_inferred)
        .then(pl.lit("llm"))
        .when(linkedin_level.is_not_null())
        .then(pl.lit("linkedin"))
        .otherwise(pl.lit("none")),
        work_model=pl.when(use_stated)
        .then(stated_model)
        .when(silver_model_known)
        .then(pl.col("work_model"))
        .otherwise(pl.lit(UNKNOWN_CODE)),
        work_model_source=pl.when(use_stated)
        .then(pl.lit("llm_stated"))
        .when(silver_model_known)
        .then(pl.lit("linkedin"))
        .otherwise(pl.lit("none")),
        posted_date=pl.coalesce(
            pl.col("job_posted_date"),
            pl.col("job_posted_at").dt.date(),
            pl.col("first_seen_at").dt.date(),
            pl.col("scraped_at").dt.date(),
        ),
        enrichment_status=pl.when(~has_enrichment)
        .then(pl.lit("missing"))
        .when(pl.col("passes_known") == 0)
        .then(pl.lit("unknown"))
        .when(pl.col("passes_succeeded") == pl.col("passes_known"))
        .then(pl.lit("complete"))
        .when(pl.col("passes_succeeded") > 0)
        .then(pl.lit("partial"))
        .otherwise(pl.lit("failed")),
        enrichment_is_current=pl.when(has_enrichment).then(
            pl.col("enr_content_hash") == pl.col("content_hash")
        ),
    )
    df = df.with_columns(
        first_seen_date=pl.coalesce(pl.col("first_seen_at").dt.date(), pl.col("posted_date")),
        is_remote=pl.col("work_model") == "remote",
        city=pl.col("location_city").str.strip_chars(),
        region=pl.col("location_region").str.strip_chars(),
        company_natural_key=_company_natural_key(),
    )
    # Salary: silver's annual USD first; the LLM's stated USD salary only where silver has none.
    llm_min = _annual_usd("ext_salary_min", "ext_salary_currency", "ext_salary_period")
    llm_max = _annual_usd("ext_salary_max", "ext_salary_currency", "ext_salary_period")
    silver_has = pl.col("salary_annual_min_usd").is_not_null() | pl.col("salary_annual_max_usd").is_not_null()
    llm_has = llm_min.is_not_null() | llm_max.is_not_null()
    df = df.with_columns(
        salary_source=pl.when(silver_has).then(pl.lit("silver")).when(llm_has).then(pl.lit("llm")),
        salary_annual_min_usd=pl.when(silver_has).then(pl.col("salary_annual_min_usd")).otherwise(llm_min),
        salary_annual_max_usd=pl.when(silver_has).then(pl.col("salary_annual_max_usd")).otherwise(llm_max),
        salary_currency=pl.when(silver_has)
        .then(pl.col("salary_currency"))
        .otherwise(pl.col("ext_salary_currency")),
        salary_period=pl.when(silver_has)
        .then(pl.col("salary_period"))
        .otherwise(pl.col("ext_salary_period")),
        salary_min_raw=pl.when(silver_has).then(pl.col("salary_min")).otherwise(pl.col("ext_salary_min")),
        salary_max_raw=pl.when(silver_has).then(pl.col("salary_max")).otherwise(pl.col("ext_salary_max")),
    )
    mid = (
        pl.when(pl.col("salary_annual_min_usd").is_not_null() & pl.col("salary_annual_max_usd").is_not_null())
        .then((pl.col("salary_annual_min_usd") + pl.col("salary_annual_max_usd")) / 2)
        .otherwise(pl.coalesce("salary_annual_min_usd", "salary_annual_max_usd"))
    )
    ordered = (
        pl.col("salary_annual_min_usd").is_null()
        | pl.col("salary_annual_max_usd").is_null()
        | (pl.col("salary_annual_min_usd") <= pl.col("salary_annual_max_usd"))
    )
    df = df.with_columns(salary_annual_mid_usd=mid).with_columns(
        has_salary=pl.col("salary_annual_mid_usd").is_not_null(),
        salary_is_plausible=pl.col("salary_annual_mid_usd").is_between(
            settings.salary_plausible_min_usd, settings.salary_plausible_max_usd
        )
        & ordered,
    )
    return df.with_columns(
        job_key=surrogate_key("job", "source_system", "job_posting_id"),
        company_key=surrogate_key("company", "company_natural_key"),
        location_key=surrogate_key("location", "city", "region", "country_code", "is_remote"),
        seniority_key=surrogate_key("seniority", "seniority_level"),
        work_model_key=surrogate_key("work_model", "work_model"),
        posted_date_key=_date_key(pl.col("posted_date")),
        first_seen_date_key=_date_key(pl.col("first_seen_date")),
        posted_week=pl.col("posted_date").dt.truncate("1w"),
        posted_quarter=_quarter_label(pl.col("posted_date")),
    )


def build_star_schema(
    current: pl.DataFrame,
    enrichment: pl.DataFrame | None = None,
    catalog: list[CatalogSkill] | None = None,
    settings: GoldSettings | None = None,
) -> StarSchema:
    """Every star table from one silver snapshot (+ optional enrichment and skills catalog)."""
    settings = settings or GoldSettings()
    catalog = catalog or []
    silver = prepare_silver(current)
    jobs = _jobs_frame(silver, prepare_enrichment(enrichment), settings)
    dim_skill = build_dim_skill(silver, catalog)
    bridge = build_bridge(jobs, dim_skill, catalog)
    skill_counts = bridge.group_by("job_key").agg(
        skills_count=pl.len(),
        must_have_skills_count=(pl.col("requirement") == "must_have").sum(),
        nice_to_have_skills_count=(pl.col("requirement") == "nice_to_have").sum(),
    )
    fact = (
        jobs.join(skill_counts, on="job_key", how="left")
        .with_columns(
            pl.col("skills_count", "must_have_skills_count", "nice_to_have_skills_count").fill_null(0),
            job_url=pl.col("url"),
            applicants=pl.col("job_num_applicants"),
            years_experience_min=pl.col("ext_years_experience_min"),
            years_experience_max=pl.col("ext_years_experience_max"),
            visa_sponsorship=pl.col("ext_visa_sponsorship_stated"),
            h1b_friendly=pl.col("inf_h1b_friendly"),
            job_family=pl.col("inf_job_family"),
            primary_cloud=pl.col("inf_primary_cloud"),
            red_flag_score=pl.col("anl_overall_red_flag_score"),
            recommendation_score=pl.col("anl_recommendation_score"),
            data_maturity_score=pl.col("anl_data_maturity_score"),
            enrichment_model_id=pl.col("enr_model_id"),
        )
        .sort("job_key")
    )
    dates = pl.concat([fact["posted_date"], jobs["first_seen_date"]])
    return StarSchema(
        fact_job_postings=conform(fact, FACT_JOB_POSTINGS_SCHEMA),
        dim_company=build_dim_company(jobs),
        dim_location=build_dim_location(jobs),
        dim_date=build_dim_date(dates),
        dim_skill=dim_skill,
        dim_seniority=build_dim_seniority(),
        dim_work_model=build_dim_work_model(),
        bridge_job_skill=bridge,
    )
