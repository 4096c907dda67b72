"""Ground-truth accuracy, the reports, the config loader, sampling and the registry adapter."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from dej_platform.consensus.agreement import evaluate_outputs
from dej_platform.consensus.config import ConsensusConfig, ModelRef, load_consensus_config
from dej_platform.consensus.fields import FieldSpec, field_specs_from_registry, infer_field_specs
from dej_platform.consensus.ground_truth import ground_truth_accuracy
from dej_platform.consensus.report import ReportContext, render_html, render_markdown
from dej_platform.consensus.sample import deterministic_sample, estimate_cost, total_usd


@pytest.fixture(scope="module")
def config() -> ConsensusConfig:
    return load_consensus_config()


JOBS = pl.DataFrame(
    {
        "job_posting_id": ["1", "2", "3", "4"],
        "salary_min": [100_000.0, 50.0, 90_000.0, None],
        "salary_max": [120_000.0, 60.0, 95_000.0, None],
        "salary_period": ["year", "hour", "year", None],
        "salary_source": ["base_salary", "pay_range", "text", None],  # job 3: parsed from text, not truth
        "seniority": ["mid_senior", "entry", "director", "not_applicable"],
        "employment_type": ["full_time", "temporary", "contract", "unknown"],
    }
)
MODEL_OUT = pl.DataFrame(
    {
        "job_posting_id": ["1", "2", "3", "4"],
        "provider": ["p"] * 4,
        "model_id": ["m"] * 4,
        "ext_salary_min": [101_000.0, None, 1.0, 5.0],  # 1 % off: correct; job 2 hourly in the hourly field
        "ext_salary_max": [130_000.0, None, None, None],  # 8 % off: wrong
        "ext_hourly_rate_min": [None, 50.0, None, None],
        "ext_hourly_rate_max": [None, 60.0, None, None],
        "inf_seniority_level": ["Senior", "not_mentioned", "principal", "senior"],
        "ext_employment_type_stated": ["full-time", "contract", "full_time", "contract"],
    }
)


def truth_row(frame: pl.DataFrame, check: str) -> dict[str, object]:
    rows = frame.filter(pl.col("check") == check).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_ground_truth_counts_and_accuracy(config: ConsensusConfig) -> None:
    result = ground_truth_accuracy(JOBS, MODEL_OUT, config)
    smin = truth_row(result, "salary_min")
    assert (smin["jobs_with_truth"], smin["answered"], smin["correct"]) == (2, 2, 2)
    smax = truth_row(result, "salary_max")
    assert (smax["jobs_with_truth"], smax["answered"], smax["correct"]) == (2, 2, 1)
    assert smax["accuracy"] == pytest.approx(0.5)
    sen = truth_row(result, "seniority")  # job 4 (not_applicable) is no truth; job 2 abstained
    assert (sen["jobs_with_truth"], sen["answered"], sen["abstained"], sen["correct"]) == (3, 2, 1, 2)
    assert sen["accuracy"] == 1.0 and sen["coverage"] == pytest.approx(2 / 3)
    emp = truth_row(result, "employment_type")  # temporary -> contract accepted; contract vs full_time wrong
    assert (emp["jobs_with_truth"], emp["answered"], emp["correct"]) == (3, 3, 2)


def test_ground_truth_tolerates_missing_model_columns(config: ConsensusConfig) -> None:
    bare = MODEL_OUT.select("job_posting_id", "provider", "model_id", "ext_salary_min")
    result = ground_truth_accuracy(JOBS, bare, config)
    assert truth_row(result, "seniority")["answered"] == 0
    assert truth_row(result, "seniority")["accuracy"] is None


def _two_model_result(config: ConsensusConfig) -> tuple[object, pl.DataFrame]:
    hostile = "<script>alert('x')</script> | pipes | and\nnewlines"
    frame = pl.DataFrame(
        {
            "job_posting_id": ["1", "1"],
            "model": ["a/x", "b/y"],
            "ext_work_model_stated": ["remote", "hybrid"],
            "inf_primary_cloud": ["aws", "aws"],
            "anl_overall_assessment": [hostile, "fine"],
        }
    )
    specs = [
        FieldSpec("ext_work_model_stated", 1, "enum"),
        FieldSpec("inf_primary_cloud", 2, "enum"),
        FieldSpec("anl_overall_assessment", 3, "string"),
    ]
    return evaluate_outputs(frame, specs, config), frame


def test_markdown_report_has_headline_abstentions_and_escapes(config: ConsensusConfig) -> None:
    result, _ = _two_model_result(config)
    truth = ground_truth_accuracy(JOBS, MODEL_OUT, config)
    text = render_markdown(result, truth, ReportContext("Day 2026-01-02", {"sample": 1}))  # type: ignore[arg-type]
    assert "# Day 2026-01-02" in text
    assert re.search(r"\| Pass 1 \| FAIL \| 50\.0%", text)
    assert re.search(r"\| Pass 2 \| PASS \| 100\.0%", text)
    assert "All abstained (excluded)" in text
    assert "seniority" in text and "Accuracy" in text
    table_lines = [line for line in text.splitlines() if "script" in line]
    assert all("\\|" in line for line in table_lines)  # pipes from model text cannot break the table


def test_html_report_is_self_contained_with_a_chart_per_pass(config: ConsensusConfig, tmp_path: Path) -> None:
    result, _ = _two_model_result(config)
    page = render_html(result, None, ReportContext("Consensus <b>test</b>"))  # type: ignore[arg-type]
    assert page.count("<svg") == 3
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>test</b>" not in page
    assert not re.search(r"(src|href)\s*=|https?://|@import|url\(", page)


def test_config_rejects_unknown_keys_and_bad_yaml(tmp_path: Path) -> None:
    bad_key = tmp_path / "bad.yaml"
    bad_key.write_text("thresholds:\n  pass1: {min_agreement: 0.9, severity: error, colour: red}\n")
    with pytest.raises(ValueError, match=r"bad\.yaml"):
        load_consensus_config(bad_key)
    broken = tmp_path / "broken.yaml"
    broken.write_text("thresholds: [unclosed\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_consensus_config(broken)
    out_of_range = tmp_path / "range.yaml"
    out_of_range.write_text(
        "thresholds:\n  pass1: {min_agreement: 1.5}\n  pass2: {min_agreement: 0.5}\n  pass3: {min_agreement: 0.5}\n"
    )
    with pytest.raises(ValueError):
        load_consensus_config(out_of_range)


def test_shipped_config_is_honest_about_local_models(config: ConsensusConfig) -> None:
    assert len(config.models_for("local")) < config.min_models  # local cannot reach consensus: reported so
    assert len(config.models_for("prod")) >= config.min_models
    assert config.threshold(3).severity == "warn" and config.threshold(1).severity == "error"


def test_sample_is_deterministic_and_salted() -> None:
    jobs = pl.DataFrame({"job_posting_id": [str(i) for i in range(200)], "x": range(200)})
    first = deterministic_sample(jobs, 10, "s1").get_column("job_posting_id").to_list()
    again = deterministic_sample(jobs.reverse(), 10, "s1").get_column("job_posting_id").to_list()
    other = deterministic_sample(jobs, 10, "s2").get_column("job_posting_id").to_list()
    assert first == again and len(set(first)) == 10
    assert first != other
    assert deterministic_sample(jobs.head(3), 10, "s1").height == 3
    with pytest.raises(ValueError):
        deterministic_sample(jobs, 0, "s1")


def test_cost_estimate_never_invents_a_price(config: ConsensusConfig) -> None:
    models = (
        ModelRef(provider="bedrock", model_id="known"),
        ModelRef(provider="bedrock", model_id="unknown"),
    )
    lines = estimate_cost(
        10, models, config.sample, lambda m: (0.15, 0.60) if m.model_id == "known" else None
    )
    known = lines[0]
    expected = (
        10 * config.sample.est_input_tokens_per_job * 0.15
        + 10 * config.sample.est_output_tokens_per_job * 0.60
    ) / 1e6
    assert known.usd == pytest.approx(expected)
    assert lines[1].usd is None and total_usd(lines) is None
    assert total_usd(lines[:1]) == pytest.approx(expected)


def test_registry_adapter_and_inference() -> None:
    specs = field_specs_from_registry(
        [
            {"name": "ext_salary_min", "pass": 1, "kind": "number"},
            {"name": "inf_primary_cloud", "pass": 2, "kind": "enum", "allowed_values": ["aws", "gcp"]},
        ]
    )
    assert specs[1] == FieldSpec("inf_primary_cloud", 2, "enum", ("aws", "gcp"))
    with pytest.raises(ValueError):
        field_specs_from_registry([{"name": "x", "kind": "enum"}])
    with pytest.raises(ValueError):
        field_specs_from_registry([{"name": "x", "pass": 4, "kind": "enum"}])
    inferred = infer_field_specs(
        {
            "job_posting_id": pl.String(),
            "ext_salary_min": pl.Float64(),
            "ext_skills": pl.List(pl.String()),
            "inf_h1b_friendly": pl.Boolean(),
            "inf_h1b_friendly_confidence": pl.Float64(),
            "anl_overall_assessment": pl.String(),
        }
    )
    assert [(s.name, s.pass_number, s.kind) for s in inferred] == [
        ("ext_salary_min", 1, "number"),
        ("ext_skills", 1, "list"),
        ("inf_h1b_friendly", 2, "bool"),
        ("anl_overall_assessment", 3, "string"),
    ]
