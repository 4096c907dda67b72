"""Model prices and call limits from `dej_platform/data/model_prices.yaml`, validated at load."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field


class ModelSettings(BaseModel):
    """Price per 1M tokens and the limits we keep to for one model id."""

    model_config = ConfigDict(extra="forbid")

    provider: str | None = None
    input_per_mtok: float = Field(ge=0)
    output_per_mtok: float = Field(ge=0)
    rpm: int = Field(default=60, gt=0)
    tpm: int = Field(default=100_000, gt=0)
    max_concurrency: int = Field(default=4, gt=0, le=64)
    tool_use: bool = True
    note: str | None = None
    listed: bool = True

    def cost_usd(self, tokens_in: int, tokens_out: int) -> float:
        return (tokens_in * self.input_per_mtok + tokens_out * self.output_per_mtok) / 1_000_000


class PriceTable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    unlisted_model: ModelSettings
    models: dict[str, ModelSettings]
    max_output_tokens: dict[int, int]

    def settings_for(self, model_id: str) -> ModelSettings:
        """The model's entry, or the deliberately expensive fallback marked `listed=False`."""
        found = self.models.get(model_id)
        if found is not None:
            return found
        return self.unlisted_model.model_copy(update={"listed": False})


def load_price_table(path: str | Path | None = None) -> PriceTable:
    if path is None:
        text = (resources.files("dej_platform") / "data" / "model_prices.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("model price file must be a mapping")
    return PriceTable.model_validate(data)


@cache
def default_price_table() -> PriceTable:
    return load_price_table()
