"""Data-quality limits, validated at load so a typo fails the code location instead of silently passing."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

DEFAULT_QUALITY_PATH = Path(__file__).resolve().parent.parent / "data" / "quality.yaml"


class QualityConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = 1
    null_rate_limits: dict[str, dict[str, float]] = Field(default_factory=dict)
    max_enrichment_failure_rate: float = Field(default=0.05, ge=0.0, le=1.0)
    max_bronze_unparseable_rate: float = Field(default=0.05, ge=0.0, le=1.0)
    freshness_max_age_hours: float = Field(default=3.0, gt=0.0)

    def null_limits(self, asset: str) -> dict[str, float]:
        return dict(self.null_rate_limits.get(asset, {}))


def load_quality_config(path: str | Path | None = None) -> QualityConfig:
    config_path = Path(path) if path else DEFAULT_QUALITY_PATH
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
        return QualityConfig.model_validate(raw)
    except (yaml.YAMLError, ValueError) as exc:
        raise ValueError(f"{config_path}: {exc}") from exc
