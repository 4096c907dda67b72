"""The feeds registry: which Bright Data collections run, how often, with which inputs.

A feed is one Bright Data trigger (one snapshot per run): a discovery mode (LinkedIn search URLs, or keyword
searches) and its inputs, written directly or expanded from a region group of our geo catalog. The registry is
`dej_platform/data/feeds.yaml` (or `$DEJ_FEEDS_FILE`); a bad registry fails at load naming the file, the feed and
the field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dej_platform.bronze.brightdata import LINKEDIN_JOBS_DATASET_ID, TriggerRequest
from dej_platform.bronze.geo import GeoCatalog, GeoCatalogError, GeoLocation, load_geo_catalog

FEEDS_FILE = Path(__file__).resolve().parent.parent / "data" / "feeds.yaml"
FEEDS_FILE_ENV = "DEJ_FEEDS_FILE"
FEED_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
LINKEDIN_SEARCH_URL = "https://www.linkedin.com/jobs/search/"

TimeRange = Literal["past_hour", "past_24_hours", "past_week", "past_month", "any_time"]
TIME_RANGE_SECONDS: dict[str, int | None] = {
    "past_hour": 3600,
    "past_24_hours": 86_400,
    "past_week": 604_800,
    "past_month": 2_592_000,
    "any_time": None,
}
# Bright Data's keyword discovery takes LinkedIn's own labels (it has no "past hour").
KEYWORD_TIME_RANGE_LABELS = {
    "past_24_hours": "Past 24 hours",
    "past_week": "Past week",
    "past_month": "Past month",
    "any_time": "Any time",
}
REMOTE_LABELS = {"on_site": "On-site", "remote": "Remote", "hybrid": "Hybrid"}
WorkTypeChoice = Literal["all", "on_site", "remote", "hybrid"]
JobType = Literal["Full-time", "Part-time", "Contract", "Temporary", "Volunteer", "Internship", "Other"]
ExperienceLevel = Literal[
    "Internship", "Entry level", "Associate", "Mid-Senior level", "Director", "Executive"
]
_CADENCE = re.compile(r"^\s*(hourly|on_demand|daily at (\d{1,2})(?::00)?)\s*$")


class FeedRegistryError(ValueError):
    """The registry file is missing or invalid; the message names the file, the feed and the field."""


class Cadence(BaseModel):
    """`hourly`, `daily at HH` (UTC) or `on_demand` (never scheduled; backfills and manual runs only)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["hourly", "daily", "on_demand"]
    hour: int | None = Field(default=None, ge=0, le=23)

    @classmethod
    def parse(cls, text: str) -> Cadence:
        match = _CADENCE.match(text)
        if not match:
            raise ValueError(f"cadence {text!r} is not 'hourly', 'daily at HH' or 'on_demand'")
        if match.group(1) in ("hourly", "on_demand"):
            return cls(kind=match.group(1))  # type: ignore[arg-type]
        hour = int(match.group(2))
        if hour > 23:
            raise ValueError(f"cadence {text!r}: the hour must be 00-23 (UTC)")
        return cls(kind="daily", hour=hour)

    def is_due(self, hour_start: datetime) -> bool:
        """Whether the hour starting at `hour_start` (UTC) is collected on schedule."""
        if self.kind == "hourly":
            return True
        if self.kind == "daily":
            return hour_start.hour == self.hour
        return False

    def __str__(self) -> str:
        return f"daily at {self.hour:02d}" if self.kind == "daily" else self.kind


class Feed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=FEED_ID_PATTERN)
    description: str = ""
    enabled: bool = True
    cadence: Cadence
    discover_by: Literal["keyword", "url"]
    keywords: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    geo_ids: tuple[str, ...] = ()
    region_group: str | None = None
    work_types: tuple[WorkTypeChoice, ...] | None = None
    time_range: TimeRange = "past_hour"
    search_urls: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    job_type: JobType | None = None
    experience_level: ExperienceLevel | None = None
    company: str | None = None
    selective_search: bool | None = None
    limit_per_input: int | None = Field(default=None, gt=0, le=10_000)
    include_errors: bool = True

    @field_validator("cadence", mode="before")
    @classmethod
    def _parse_cadence(cls, value: Any) -> Any:
        return Cadence.parse(value) if isinstance(value, str) else value

    @field_validator("keywords", "locations")
    @classmethod
    def _non_blank(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if any(not v.strip() for v in values):
            raise ValueError("blank entries are not allowed")
        return tuple(v.strip() for v in values)

    @field_validator("geo_ids")
    @classmethod
    def _numeric_geo_ids(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in values if not re.fullmatch(r"[0-9]{6,12}", str(v))]
        if bad:
            raise ValueError(f"geo ids must be LinkedIn numeric ids, got {bad}")
        return values

    @field_validator("search_urls")
    @classmethod
    def _linkedin_urls(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for url in values:
            parts = urlsplit(url)
            if (
                parts.scheme != "https"
                or not parts.netloc.endswith("linkedin.com")
                or "/jobs" not in parts.path
            ):
                raise ValueError(f"{url!r} is not an https LinkedIn jobs search URL")
        return values

    @model_validator(mode="after")
    def _inputs_fit_mode(self) -> Feed:
        has_geo = bool(self.places or self.geo_ids or self.region_group)
        if self.discover_by == "url":
            if self.locations or self.job_type or self.experience_level or self.company:
                raise ValueError("locations/job_type/experience_level/company are keyword-discovery fields")
            if not self.search_urls and not (self.keywords and has_geo):
                raise ValueError(
                    "url discovery needs search_urls, or keywords with places/geo_ids/region_group"
                )
        else:
            if self.search_urls or self.geo_ids:
                raise ValueError(
                    "search_urls/geo_ids are url-discovery fields; keyword discovery uses locations"
                )
            if not self.keywords or not (self.locations or self.places or self.region_group):
                raise ValueError("keyword discovery needs keywords and locations (or places/region_group)")
            if self.time_range not in KEYWORD_TIME_RANGE_LABELS:
                raise ValueError(
                    f"time_range {self.time_range!r} is not offered by keyword discovery "
                    f"(use one of {sorted(KEYWORD_TIME_RANGE_LABELS)})"
                )
        if self.work_types and "all" in self.work_types and len(self.work_types) > 1:
            raise ValueError("work_types: 'all' cannot be combined with single work types")
        return self

    # -- expansion -------------------------------------------------------------------------------------------

    def geo_locations(self, geo: GeoCatalog) -> list[GeoLocation]:
        found = [geo.place(p) for p in self.places]
        found += [GeoLocation(geo_id=g, name=f"geo {g}") for g in self.geo_ids]
        if self.region_group:
            found += list(geo.group(self.region_group).locations)
        return found

    def work_type_splits(self, geo: GeoCatalog) -> list[tuple[str, ...]]:
        """One entry per search: `()` = no filter, `("all",)` = every work type in one search."""
        chosen = self.work_types
        if chosen is None and self.region_group:
            chosen = geo.group(self.region_group).work_types
        if not chosen:
            return [()]
        if "all" in chosen:
            return [("all",)]
        return [(w,) for w in chosen]

    def trigger_request(self, geo: GeoCatalog, dataset_id: str = LINKEDIN_JOBS_DATASET_ID) -> TriggerRequest:
        inputs: list[dict[str, Any]]
        if self.discover_by == "url":
            inputs = [{"url": u} for u in self.search_urls]
            for keyword in self.keywords:
                for location in self.geo_locations(geo):
                    for split in self.work_type_splits(geo):
                        url = linkedin_search_url(
                            keyword,
                            location.geo_id,
                            work_type_filter=geo.work_type_filter(split) if split else None,
                            seconds=TIME_RANGE_SECONDS[self.time_range],
                        )
                        inputs.append({"url": url})
        else:
            where = [(name, self.country) for name in self.locations]
            where += [(loc.name, loc.country or self.country) for loc in self.geo_locations(geo)]
            inputs = []
            for keyword in self.keywords:
                for place_name, country in where:
                    for split in self.work_type_splits(geo):
                        inputs.append(
                            {
                                "location": place_name,
                                "keyword": keyword,
                                "country": country or "",
                                "time_range": KEYWORD_TIME_RANGE_LABELS[self.time_range],
                                "job_type": self.job_type or "",
                                "experience_level": self.experience_level or "",
                                "remote": REMOTE_LABELS[split[0]] if split and split[0] != "all" else "",
                                "company": self.company or "",
                                "selective_search": bool(self.selective_search),
                            }
                        )
        unique = list({_input_identity(i): i for i in inputs}.values())
        return TriggerRequest(
            discover_by=self.discover_by,
            inputs=tuple(unique),
            dataset_id=dataset_id,
            include_errors=self.include_errors,
            limit_per_input=self.limit_per_input,
        )


class FeedRegistry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = 1
    dataset_id: str = LINKEDIN_JOBS_DATASET_ID
    feeds: tuple[Feed, ...]
    source: str = Field(default="", exclude=True)

    @property
    def ids(self) -> list[str]:
        return [f.id for f in self.feeds]

    def get(self, feed_id: str) -> Feed:
        for feed in self.feeds:
            if feed.id == feed_id:
                return feed
        raise KeyError(f"feed {feed_id!r} is not in the registry {self.source or ''}; known: {self.ids}")

    def enabled(self) -> list[Feed]:
        return [f for f in self.feeds if f.enabled]

    def due(self, hour_start: datetime) -> list[Feed]:
        """Enabled feeds whose cadence collects the hour starting at `hour_start`."""
        return [f for f in self.enabled() if f.cadence.is_due(hour_start)]


def linkedin_search_url(
    keyword: str, geo_id: str, *, work_type_filter: str | None = None, seconds: int | None = 3600
) -> str:
    """A LinkedIn jobs search URL, newest first, for an exact keyword phrase in one geo id."""
    params = []
    if seconds:
        params.append(f"f_TPR=r{seconds}")
    if work_type_filter:
        params.append(f"f_WT={quote(work_type_filter, safe='')}")
    params += [
        f"geoId={geo_id}",
        f"keywords={quote(chr(34) + keyword + chr(34), safe='')}",
        "origin=JOB_SEARCH_PAGE_JOB_FILTER",
        "refresh=true",
        "sortBy=DD",
    ]
    return f"{LINKEDIN_SEARCH_URL}?{'&'.join(params)}"


def _input_identity(item: Mapping[str, Any]) -> str:
    if "url" in item:
        return "url:" + normalize_search_url(str(item["url"]))
    return "kw:" + "|".join(str(item.get(k, "")).strip().lower() for k in ("keyword", "location", "remote"))


def normalize_search_url(url: str) -> str:
    """Compare search URLs by what they search: drop tracking params, order the rest."""
    parts = urlsplit(url)
    ignored = {"currentjobid", "origin", "refresh", "trk", "position", "pagenum"}
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in ignored)
    path = parts.path.rstrip("/")
    return f"{path}?{'&'.join(f'{k}={v}' for k, v in query)}"


def record_discovery_input(record: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The discovery input a delivered row answers: `discovery_input` on postings, `input` on error rows."""
    for key in ("discovery_input", "input"):
        value = record.get(key)
        if isinstance(value, Mapping):
            nested = value.get("discovery_input")
            if key == "input" and isinstance(nested, Mapping):
                return nested
            if value:
                return value
    return None


def request_owns_record(request: TriggerRequest, record: Mapping[str, Any]) -> bool:
    """Whether a snapshot row was produced by one of this request's inputs (to attribute recovered snapshots)."""
    found = record_discovery_input(record)
    if found is None:
        return False
    if request.discover_by == "url":
        if "url" not in found:
            return False
        wanted = {normalize_search_url(str(i["url"])) for i in request.inputs}
        return normalize_search_url(str(found["url"])) in wanted
    if "keyword" not in found:
        return False
    key = "kw:" + "|".join(str(found.get(k) or "").strip().lower() for k in ("keyword", "location", "remote"))
    return key in {_input_identity(i) for i in request.inputs}


def _format_errors(file: Path, raw: Any, exc: ValidationError) -> str:
    lines = []
    feeds_raw = raw.get("feeds") if isinstance(raw, dict) else None
    for err in exc.errors():
        loc = list(err["loc"])
        where = "registry"
        if len(loc) >= 2 and loc[0] == "feeds" and isinstance(loc[1], int):
            index = loc[1]
            feed_id = None
            if isinstance(feeds_raw, list) and index < len(feeds_raw) and isinstance(feeds_raw[index], dict):
                feed_id = feeds_raw[index].get("id")
            where = f"feed {feed_id!r} (feeds[{index}])" if feed_id else f"feeds[{index}]"
            loc = loc[2:]
        fields = [str(p) for p in loc if not str(p).startswith("function-")]
        field_name = ".".join(fields) if fields else "(feed)"
        lines.append(f"{file}: {where}: field {field_name!r}: {err['msg']}")
    return "\n".join(lines)


def load_feed_registry(
    path: str | os.PathLike[str] | None = None, *, geo: GeoCatalog | None = None
) -> FeedRegistry:
    """Load and validate the registry (`path`, else `$DEJ_FEEDS_FILE`, else the packaged `feeds.yaml`)."""
    file = Path(path or os.environ.get(FEEDS_FILE_ENV) or FEEDS_FILE)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FeedRegistryError(f"{file}: feeds registry not found") from None
    except yaml.YAMLError as exc:
        raise FeedRegistryError(f"{file}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise FeedRegistryError(f"{file}: the registry must be a mapping with a 'feeds' list")
    try:
        registry = FeedRegistry.model_validate({**raw, "source": str(file)})
    except ValidationError as exc:
        raise FeedRegistryError(_format_errors(file, raw, exc)) from None
    problems = []
    seen: set[str] = set()
    for feed in registry.feeds:
        if feed.id in seen:
            problems.append(f"{file}: feed {feed.id!r}: field 'id': duplicate feed id")
        seen.add(feed.id)
    try:
        catalog = geo or load_geo_catalog()
    except GeoCatalogError as exc:
        raise FeedRegistryError(f"{file}: cannot check geo names: {exc}") from None
    for feed in registry.feeds:
        for name in feed.places:
            if name not in catalog.places:
                problems.append(
                    f"{file}: feed {feed.id!r}: field 'places': unknown place {name!r} "
                    f"(known: {', '.join(sorted(catalog.places))})"
                )
        if feed.region_group and feed.region_group not in catalog.region_groups:
            problems.append(
                f"{file}: feed {feed.id!r}: field 'region_group': unknown region group {feed.region_group!r} "
                f"(known: {', '.join(sorted(catalog.region_groups))})"
            )
    if problems:
        raise FeedRegistryError("\n".join(problems))
    return registry
