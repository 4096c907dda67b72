"""Versioned currency conversion to USD for salary comparison.

Rates come from ``dej_platform/data/fx_rates.yaml`` shipped with the project (no live feed: silver must be
reproducible), and every converted row records the table's ``version`` so a rate change is traceable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

FX_RATES_PATH = Path(__file__).resolve().parent.parent / "data" / "fx_rates.yaml"


class FxTableError(ValueError):
    """The FX table file is missing fields or holds a non-positive rate."""


@dataclass(frozen=True, slots=True)
class FxTable:
    version: str
    as_of: str
    usd_per_unit: dict[str, float] = field(default_factory=dict)

    def rate(self, currency: str | None) -> float | None:
        if not currency:
            return None
        return self.usd_per_unit.get(currency.upper())

    def to_usd(self, amount: float | None, currency: str | None) -> float | None:
        """Amount in USD, or None when the amount is missing/not finite or the currency is not in the table."""
        if amount is None:
            return None
        rate = self.rate(currency)
        if rate is None:
            return None
        try:
            value = float(amount) * rate
        except (TypeError, ValueError):
            return None
        return value if math.isfinite(value) else None


def parse_fx_table(document: object) -> FxTable:
    """Validate a loaded YAML document into an FxTable (codes are 3 upper-case letters, rates positive)."""
    if not isinstance(document, dict):
        raise FxTableError("FX table must be a mapping")
    version = document.get("version")
    rates = document.get("usd_per_unit")
    if not isinstance(version, str) or not version:
        raise FxTableError("FX table needs a non-empty string 'version'")
    if not isinstance(rates, dict) or not rates:
        raise FxTableError("FX table needs a non-empty 'usd_per_unit' mapping")
    clean: dict[str, float] = {}
    for code, rate in rates.items():
        if not (isinstance(code, str) and len(code) == 3 and code.isalpha() and code.isupper()):
            raise FxTableError(f"bad currency code {code!r}")
        if (
            isinstance(rate, bool)
            or not isinstance(rate, (int, float))
            or not (rate > 0 and math.isfinite(rate))
        ):
            raise FxTableError(f"bad rate for {code}: {rate!r}")
        clean[code] = float(rate)
    if clean.get("USD") != 1.0:
        raise FxTableError("USD must have rate 1.0")
    return FxTable(version=version, as_of=str(document.get("as_of", "")), usd_per_unit=clean)


def load_fx_table(path: str | Path | None = None) -> FxTable:
    """Load and validate an FX table file; the shipped table when no path is given (cached)."""
    if path is None:
        return _shipped_table()
    with open(path, encoding="utf-8") as handle:
        return parse_fx_table(yaml.safe_load(handle))


@lru_cache(maxsize=1)
def _shipped_table() -> FxTable:
    with open(FX_RATES_PATH, encoding="utf-8") as handle:
        return parse_fx_table(yaml.safe_load(handle))


def to_usd(amount: float | None, currency: str | None) -> float | None:
    """Convert with the shipped table; None when the currency is unknown."""
    return _shipped_table().to_usd(amount, currency)


def fx_version() -> str:
    return _shipped_table().version


def known_currencies() -> frozenset[str]:
    return frozenset(_shipped_table().usd_per_unit)
