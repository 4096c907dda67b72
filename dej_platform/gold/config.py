"""Knobs of the gold layer, validated once: thresholds that decide what is published."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class GoldSettings(BaseModel):
    """Defaults suit a laptop sample; production raises the publication thresholds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_salary_sample: int = Field(
        default=5,
        ge=1,
        description="A salary benchmark cell is published only with at least this many salaries.",
    )
    min_cooccurrence: int = Field(
        default=2, ge=1, description="Skill pairs seen together fewer times are dropped."
    )
    top_companies: int = Field(
        default=25, ge=1, description="Companies kept per country in agg_top_companies."
    )
    seniority_min_confidence: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="An LLM-inferred seniority below this confidence falls back to LinkedIn's.",
    )
    salary_plausible_min_usd: float = Field(
        default=10_000, gt=0, description="Annual USD below this is implausible."
    )
    salary_plausible_max_usd: float = Field(
        default=1_500_000, gt=0, description="Annual USD above this is implausible."
    )

    @model_validator(mode="after")
    def _ordered_bounds(self) -> GoldSettings:
        if self.salary_plausible_min_usd >= self.salary_plausible_max_usd:
            raise ValueError("salary_plausible_min_usd must be below salary_plausible_max_usd")
        return self
