"""Consensus configuration: thresholds, tolerances and evaluation models, validated at load.

One YAML file (`dej_platform/data/consensus.yaml`) so the numbers a report is judged by are versioned with the code.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "consensus.yaml"

Severity = Literal["error", "warn"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelRef(_Strict):
    """One provider/model pair; `label` is how it is named in every report."""

    provider: str = Field(min_length=1)
    model_id: str = Field(min_length=1)

    @property
    def label(self) -> str:
        return f"{self.provider}/{self.model_id}"


class SampleConfig(_Strict):
    size: int = Field(default=25, ge=1, le=10_000)
    salt: str = "consensus-v1"
    est_input_tokens_per_job: int = Field(default=20_500, ge=0)
    est_output_tokens_per_job: int = Field(default=10_700, ge=0)
    max_cost_usd: float | None = Field(default=None, ge=0.0)  # hard stop for one day's evaluation runs


class PassThreshold(_Strict):
    min_agreement: float = Field(ge=0.0, le=1.0)
    severity: Severity = "error"


class NumericTolerance(_Strict):
    relative: float = Field(default=0.05, ge=0.0)
    absolute: float = Field(default=0.0, ge=0.0)


class NumericOverride(NumericTolerance):
    pattern: str = Field(min_length=1)


class NumericComparison(_Strict):
    default: NumericTolerance = NumericTolerance()
    overrides: tuple[NumericOverride, ...] = ()

    def for_field(self, field: str) -> NumericTolerance:
        for override in self.overrides:
            if fnmatch.fnmatchcase(field, override.pattern):
                return NumericTolerance(relative=override.relative, absolute=override.absolute)
        return self.default


class ListComparison(_Strict):
    item_min_share: float = Field(default=0.5, gt=0.0, le=1.0)
    model_min_coverage: float = Field(default=0.6, ge=0.0, le=1.0)


class StringComparison(_Strict):
    min_similarity: float = Field(default=0.85, ge=0.0, le=1.0)
    max_chars: int = Field(default=2000, ge=1)


class ComparisonConfig(_Strict):
    majority_share: float = Field(default=0.5, ge=0.0, lt=1.0)
    abstain_tokens: tuple[str, ...] = ("not_mentioned",)
    numeric: NumericComparison = NumericComparison()
    list: ListComparison = ListComparison()
    string: StringComparison = StringComparison()
    synonyms: dict[str, str] = Field(default_factory=dict)


class GroundTruthConfig(_Strict):
    salary_relative_tolerance: float = Field(default=0.02, ge=0.0)
    seniority: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    employment_type: dict[str, tuple[str, ...]] = Field(default_factory=dict)


PassName = Literal["pass1", "pass2", "pass3"]
_DEFAULT_THRESHOLDS: dict[PassName, PassThreshold] = {
    "pass1": PassThreshold(min_agreement=0.85),
    "pass2": PassThreshold(min_agreement=0.80),
    "pass3": PassThreshold(min_agreement=0.60, severity="warn"),
}


class ConsensusConfig(_Strict):
    version: int = 1
    evaluation: dict[str, tuple[ModelRef, ...]] = Field(default_factory=dict)
    sample: SampleConfig = SampleConfig()
    min_models: int = Field(default=2, ge=2)
    thresholds: dict[PassName, PassThreshold] = Field(default_factory=lambda: dict(_DEFAULT_THRESHOLDS))
    comparison: ComparisonConfig = ComparisonConfig()
    ground_truth: GroundTruthConfig = GroundTruthConfig()

    @model_validator(mode="after")
    def _all_passes_have_thresholds(self) -> ConsensusConfig:
        missing = {"pass1", "pass2", "pass3"} - set(self.thresholds)
        if missing:
            raise ValueError(f"thresholds missing for {sorted(missing)}")
        return self

    def threshold(self, pass_number: int) -> PassThreshold:
        return self.thresholds[f"pass{pass_number}"]  # type: ignore[index]

    def models_for(self, env: str) -> tuple[ModelRef, ...]:
        return self.evaluation.get(env, ())


def load_consensus_config(path: str | Path | None = None) -> ConsensusConfig:
    """Load and validate the consensus YAML; errors name the file and the bad key."""
    config_path = Path(path) if path else DEFAULT_CONFIG_PATH
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{config_path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ValueError(f"{config_path}: expected a mapping at the top level")
    try:
        return ConsensusConfig.model_validate(raw)
    except ValueError as exc:
        raise ValueError(f"{config_path}: {exc}") from exc
