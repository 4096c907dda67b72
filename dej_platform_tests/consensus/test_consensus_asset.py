"""The blocking pass checks really gate a downstream (Gold) asset in the same run."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from dej_platform.consensus.config import ModelRef
from dej_platform.consensus.fields import FieldSpec
from dej_platform.defs.consensus.assets import CONSENSUS_KEY, consensus
from dej_platform.defs.consensus.resources import ConsensusResource
from dej_platform.lake import Lake
from dej_platform.partitions import daily_partitions
from dej_platform.resources import LakeResource

DAY = "2026-01-02"
SPECS = [
    FieldSpec("ext_work_model_stated", 1, "enum"),
    FieldSpec("inf_primary_cloud", 2, "enum"),
    FieldSpec("anl_role_clarity", 3, "enum"),
]
PROBE_KEY = dg.AssetKey(["gold", "probe"])


@dg.asset(key=PROBE_KEY, deps=[CONSENSUS_KEY], partitions_def=daily_partitions)
def gold_probe() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"ran": True})


class ScriptedRunner:
    """Stands in for enrichment: answers are already in the lake, so it only supplies the field registry."""

    def __init__(self) -> None:
        self.calls = 0

    def enrich(self, jobs: pl.DataFrame, model: ModelRef) -> pl.DataFrame:
        self.calls += 1
        raise RuntimeError("provider unavailable")

    def price(self, model: ModelRef) -> tuple[float, float] | None:
        return (1.0, 2.0)

    def field_specs(self) -> list[FieldSpec]:
        return SPECS


class ScriptedConsensus(ConsensusResource):
    def runner(self, lake: Lake | None = None) -> ScriptedRunner:  # type: ignore[override]
        return ScriptedRunner()


def write_config(tmp_path: Path, models: list[str]) -> str:
    listed = "\n".join(f"    - {{provider: fake, model_id: {m}}}" for m in models)
    path = tmp_path / "consensus.yaml"
    path.write_text(f"evaluation:\n  test:\n{listed}\nsample: {{size: 10, salt: t}}\n")
    return str(path)


def seed_lake(lake: Lake, answers: dict[str, dict[str, str]]) -> None:
    """Four jobs for the day; `answers[model][field]` is what that model said for every job."""
    ids = ["101", "102", "103", "104"]
    jobs = pl.DataFrame(
        {
            "job_posting_id": ids,
            "job_title": ["Data Engineer"] * 4,
            "seniority": ["mid_senior"] * 4,
            "employment_type": ["full_time"] * 4,
        }
    )
    lake.write_table(jobs, "silver", "job_postings_current", {"dt": DAY})
    rows = []
    for model, fields in answers.items():
        for job in ids:
            rows.append(
                {
                    "job_posting_id": job,
                    "provider": "fake",
                    "model_id": model,
                    "pass1_status": "success",
                    "pass2_status": "success",
                    "pass3_status": "success",
                    **fields,
                }
            )
    lake.write_table(pl.DataFrame(rows), "silver_ai", "job_enrichment", {"dt": DAY, "hr": "07"})


def run(tmp_path: Path, answers: dict[str, dict[str, str]]) -> dg.ExecuteInProcessResult:
    lake = Lake(str(tmp_path / "lake"))
    seed_lake(lake, answers)
    return dg.materialize(
        [consensus, gold_probe],
        partition_key=DAY,
        resources={
            "lake": LakeResource(url=str(tmp_path / "lake")),
            "consensus": ScriptedConsensus(env="test", config_path=write_config(tmp_path, list(answers))),
        },
        raise_on_error=False,
    )


def materialized(result: dg.ExecuteInProcessResult) -> set[dg.AssetKey]:
    return {e.asset_key for e in result.get_asset_materialization_events()}


def checks(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


AGREE = {"ext_work_model_stated": "remote", "inf_primary_cloud": "aws", "anl_role_clarity": "clear"}


@pytest.mark.slow
def test_low_pass1_agreement_blocks_gold_in_the_same_run(tmp_path: Path) -> None:
    result = run(tmp_path, {"a": AGREE, "b": {**AGREE, "ext_work_model_stated": "onsite"}})
    evaluations = checks(result)
    assert not evaluations["pass1_agreement"].passed
    assert evaluations["pass1_agreement"].severity == dg.AssetCheckSeverity.ERROR
    assert evaluations["pass2_agreement"].passed
    assert CONSENSUS_KEY in materialized(result)  # the report still lands, for people to read why
    assert PROBE_KEY not in materialized(result)
    report = tmp_path / "lake" / "silver_ai" / "consensus_reports" / f"dt={DAY}" / "report.html"
    assert report.exists() and "<svg" in report.read_text()
    fields = pl.read_parquet(
        tmp_path / "lake" / "silver_ai" / "consensus_fields" / f"dt={DAY}" / "part-00000.parquet"
    )
    assert (
        fields.filter(pl.col("field") == "ext_work_model_stated").get_column("score").to_list() == [0.5] * 4
    )


@pytest.mark.slow
def test_high_agreement_lets_gold_through(tmp_path: Path) -> None:
    result = run(tmp_path, {"a": AGREE, "b": dict(AGREE), "c": {**AGREE, "anl_role_clarity": "vague"}})
    evaluations = checks(result)
    assert all(evaluations[name].passed for name in ("pass1_agreement", "pass2_agreement", "pass3_agreement"))
    assert PROBE_KEY in materialized(result)
    consensus_event = next(
        e for e in result.get_asset_materialization_events() if e.asset_key == CONSENSUS_KEY
    )
    meta = consensus_event.materialization.metadata
    assert meta["pass1_agreement"].value == 1.0
    assert meta["pass3_agreement"].value == pytest.approx(2 / 3)
    assert meta["answers_reused"].value == 12 and meta["answers_produced"].value == 0


@pytest.mark.slow
def test_low_pass3_only_warns_and_gold_runs(tmp_path: Path) -> None:
    result = run(tmp_path, {"a": AGREE, "b": {**AGREE, "anl_role_clarity": "vague"}})
    evaluations = checks(result)
    assert not evaluations["pass3_agreement"].passed
    assert evaluations["pass3_agreement"].severity == dg.AssetCheckSeverity.WARN
    assert PROBE_KEY in materialized(result)


@pytest.mark.slow
def test_single_model_reports_not_evaluated_and_warns(tmp_path: Path) -> None:
    result = run(tmp_path, {"rules-v1": AGREE})
    evaluations = checks(result)
    for name in ("pass1_agreement", "pass2_agreement", "pass3_agreement"):
        evaluation = evaluations[name]
        assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
        assert "not evaluated" in (evaluation.description or "")
        assert evaluation.metadata["status"].value == "not_evaluated"
    assert PROBE_KEY in materialized(result)  # Gold proceeds, with the warning visible


@pytest.mark.slow
def test_missing_answers_are_run_and_a_provider_failure_is_reported(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path / "lake"))
    seed_lake(lake, {"a": AGREE})
    result = dg.materialize(
        [consensus],
        partition_key=DAY,
        resources={
            "lake": LakeResource(url=str(tmp_path / "lake")),
            "consensus": ScriptedConsensus(env="test", config_path=write_config(tmp_path, ["a", "b"])),
        },
        raise_on_error=False,
    )
    meta = result.get_asset_materialization_events()[0].materialization.metadata
    assert "provider unavailable" in meta["notes"].value
    # 4 jobs for model b at 20,500 in / 10,700 out tokens per job, $1 / $2 per 1M tokens.
    assert meta["estimated_cost_usd"].value == pytest.approx(4 * (20_500 * 1.0 + 10_700 * 2.0) / 1e6)
    assert checks(result)["pass1_agreement"].metadata["status"].value == "not_evaluated"
