"""Our LinkedIn geo-id catalog (`dej_platform/data/geo_ids.yaml`): places, region groups and work-type codes.

Feeds name a place (`brazil`) or a region group (`us_states`) instead of raw ids, so an id is written once and a
typo in a feed fails at load instead of silently searching the wrong country (the seed's "Brazil" feed searched
worldwide).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

GEO_CATALOG_FILE = Path(__file__).resolve().parent.parent / "data" / "geo_ids.yaml"
GEO_FILE_ENV = "DEJ_GEO_IDS_FILE"

WorkType = Literal["on_site", "remote", "hybrid"]
WORK_TYPES: tuple[WorkType, ...] = ("on_site", "remote", "hybrid")


class GeoCatalogError(ValueError):
    """The geo catalog file is missing or invalid; the message names the file and the offending field."""


class GeoLocation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    geo_id: str = Field(pattern=r"^[0-9]{6,12}$")
    name: str = Field(min_length=1)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    region_code: str | None = None

    @property
    def slug(self) -> str:
        """`New York` -> `new-york` (used in input labels)."""
        return "-".join(self.name.lower().replace(",", "").split())


class RegionGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    work_types: tuple[Literal["all", "on_site", "remote", "hybrid"], ...] = ("all",)
    locations: tuple[GeoLocation, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _all_is_alone(self) -> RegionGroup:
        if "all" in self.work_types and len(self.work_types) > 1:
            raise ValueError("work_types: 'all' cannot be combined with single work types")
        return self


class GeoCatalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    work_type_codes: dict[WorkType, int]
    places: dict[str, GeoLocation]
    region_groups: dict[str, RegionGroup]

    @model_validator(mode="after")
    def _codes_complete(self) -> GeoCatalog:
        missing = [w for w in WORK_TYPES if w not in self.work_type_codes]
        if missing:
            raise ValueError(f"work_type_codes: missing {missing}")
        return self

    def place(self, name: str) -> GeoLocation:
        try:
            return self.places[name]
        except KeyError:
            raise KeyError(f"unknown place {name!r}; known: {sorted(self.places)}") from None

    def group(self, name: str) -> RegionGroup:
        try:
            return self.region_groups[name]
        except KeyError:
            raise KeyError(f"unknown region group {name!r}; known: {sorted(self.region_groups)}") from None

    def work_type_filter(self, work_types: tuple[str, ...] | list[str]) -> str:
        """LinkedIn's `f_WT` value: `("remote",)` -> `"2"`; `("all",)` or empty -> `"1,2,3"`."""
        chosen = WORK_TYPES if not work_types or "all" in work_types else work_types
        return ",".join(str(self.work_type_codes[w]) for w in chosen)  # type: ignore[index]


def _format_validation_error(path: Path, exc: ValidationError) -> str:
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return f"{path}: invalid geo catalog: {problems}"


def load_geo_catalog(path: str | os.PathLike[str] | None = None) -> GeoCatalog:
    """Load and validate the catalog (`path`, else `$DEJ_GEO_IDS_FILE`, else the packaged file)."""
    file = Path(path or os.environ.get(GEO_FILE_ENV) or GEO_CATALOG_FILE)
    return _load_cached(file, file.stat().st_mtime_ns if file.exists() else -1)


@functools.lru_cache(maxsize=8)
def _load_cached(file: Path, _mtime: int) -> GeoCatalog:
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GeoCatalogError(f"{file}: geo catalog file not found") from None
    except yaml.YAMLError as exc:
        raise GeoCatalogError(f"{file}: not valid YAML: {exc}") from None
    try:
        return GeoCatalog.model_validate(raw)
    except ValidationError as exc:
        raise GeoCatalogError(_format_validation_error(file, exc)) from None
