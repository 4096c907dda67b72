"""Feeds registry and geo catalog: the shipped files, expansion into Bright Data inputs, and bad registries."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from dej_platform.bronze.feeds import (
    Cadence,
    FeedRegistryError,
    load_feed_registry,
    normalize_search_url,
    request_owns_record,
)
from dej_platform.bronze.geo import GeoCatalogError, load_geo_catalog

BRAZIL_GEO_ID = "106057199"
WORLDWIDE_GEO_ID = "92000000"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_shipped_registry_has_the_seed_feeds_with_brazil_fixed():
    registry = load_feed_registry()
    geo = load_geo_catalog()
    worldwide = registry.get("data_engineer_worldwide").trigger_request(geo)
    brazil = registry.get("engenheiro_dados_brazil").trigger_request(geo)
    assert _query(worldwide.inputs[0]["url"])["geoId"] == [WORLDWIDE_GEO_ID]
    assert _query(worldwide.inputs[0]["url"])["f_TPR"] == ["r3600"]
    assert _query(brazil.inputs[0]["url"])["geoId"] == [BRAZIL_GEO_ID]
    assert _query(brazil.inputs[0]["url"])["keywords"] == ['"engenheiro de dados"']
    assert {f.id for f in registry.due(datetime(2026, 1, 1, 5, tzinfo=UTC))} == {
        "data_engineer_worldwide",
        "engenheiro_dados_brazil",
    }


def test_region_group_backfills_expand_like_the_seed_fan_out():
    registry = load_feed_registry()
    geo = load_geo_catalog()
    sizes = {f.id: len(f.trigger_request(geo).inputs) for f in registry.feeds if f.id.startswith("backfill_")}
    assert sizes == {
        "backfill_us_states": 51,
        "backfill_europe": 45,
        "backfill_canada": 1,
        "backfill_latin_america": 3,
        "backfill_india": 3,
        "backfill_asia": 12,
        "backfill_macro_regions": 18,
        "backfill_other_regions": 9,
    }
    latam = registry.get("backfill_latin_america").trigger_request(geo)
    assert sorted(_query(i["url"])["f_WT"][0] for i in latam.inputs) == ["1", "2", "3"]
    us = registry.get("backfill_us_states").trigger_request(geo)
    assert all(
        _query(i["url"])["f_WT"] == ["1,2,3"] and _query(i["url"])["f_TPR"] == ["r2592000"] for i in us.inputs
    )
    assert all(f.cadence.kind == "on_demand" for f in registry.feeds if f.id.startswith("backfill_"))


def test_keyword_feed_builds_bright_data_keyword_inputs():
    feed = load_feed_registry().get("data_engineer_us_remote_keyword")
    (item,) = feed.trigger_request(load_geo_catalog()).inputs
    assert item["keyword"] == "data engineer" and item["location"] == "United States"
    assert item["country"] == "US" and item["remote"] == "Remote" and item["time_range"] == "Past 24 hours"
    assert item["job_type"] == "Full-time"


def test_geo_catalog_work_type_codes_and_groups():
    geo = load_geo_catalog()
    assert geo.work_type_filter(["remote"]) == "2"
    assert geo.work_type_filter(["all"]) == "1,2,3"
    assert len(geo.group("us_states").locations) == 51
    assert geo.place("brazil").geo_id == BRAZIL_GEO_ID
    with pytest.raises(KeyError, match="unknown region group"):
        geo.group("atlantis")


@pytest.mark.parametrize(
    ("text", "hour", "due"),
    [("hourly", 3, True), ("daily at 06", 6, True), ("daily at 6", 7, False), ("on_demand", 6, False)],
)
def test_cadence(text, hour, due):
    assert Cadence.parse(text).is_due(datetime(2026, 2, 1, hour, tzinfo=UTC)) is due


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(body)
    return path


GOOD_FEED = """
  - id: {id}
    cadence: {cadence}
    discover_by: url
    keywords: ["data engineer"]
    {where}
    time_range: {time_range}
"""


def _registry(
    tmp_path, id="ok_feed", cadence="hourly", where="places: [brazil]", time_range="past_hour", extra=""
):
    body = "version: 1\nfeeds:\n" + GOOD_FEED.format(
        id=id, cadence=cadence, where=where, time_range=time_range
    )
    return _write(tmp_path, body + extra)


def test_env_var_overrides_the_registry_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DEJ_FEEDS_FILE", str(_registry(tmp_path)))
    assert load_feed_registry().ids == ["ok_feed"]


@pytest.mark.parametrize(
    ("kwargs", "feed", "field", "message"),
    [
        ({"id": "Bad/Feed"}, "Bad/Feed", "id", "pattern"),
        ({"id": "../escape"}, "../escape", "id", "pattern"),
        ({"cadence": "every tuesday"}, "ok_feed", "cadence", "daily at HH"),
        ({"cadence": "daily at 25"}, "ok_feed", "cadence", "00-23"),
        ({"where": "region_group: atlantis"}, "ok_feed", "region_group", "unknown region group"),
        ({"where": "places: [narnia]"}, "ok_feed", "places", "unknown place"),
        ({"where": "geo_ids: ['abc']"}, "ok_feed", "geo_ids", "numeric"),
        ({"time_range": "past_decade"}, "ok_feed", "time_range", "past_hour"),
        ({"where": "places: [brazil]\n    colour: blue"}, "ok_feed", "colour", "Extra inputs"),
    ],
)
def test_invalid_registry_names_file_feed_and_field(tmp_path, kwargs, feed, field, message):
    path = _registry(tmp_path, **kwargs)
    with pytest.raises(FeedRegistryError) as info:
        load_feed_registry(path)
    text = str(info.value)
    assert str(path) in text and repr(feed) in text and f"'{field}'" in text and message in text


def test_duplicate_feed_ids_are_rejected(tmp_path):
    path = _registry(
        tmp_path,
        extra=GOOD_FEED.format(
            id="ok_feed", cadence="hourly", where="places: [worldwide]", time_range="past_hour"
        ),
    )
    with pytest.raises(FeedRegistryError, match="duplicate feed id"):
        load_feed_registry(path)


def test_keyword_feed_cannot_ask_for_the_past_hour(tmp_path):
    path = _write(
        tmp_path,
        "feeds:\n  - id: kw\n    cadence: hourly\n    discover_by: keyword\n"
        "    keywords: [data engineer]\n    locations: [Lisbon]\n    time_range: past_hour\n",
    )
    with pytest.raises(FeedRegistryError, match=r"'kw'.*not offered by keyword discovery"):
        load_feed_registry(path)


def test_url_feed_needs_somewhere_to_search(tmp_path):
    path = _write(
        tmp_path,
        "feeds:\n  - id: nowhere\n    cadence: hourly\n    discover_by: url\n    keywords: [data engineer]\n",
    )
    with pytest.raises(FeedRegistryError, match=r"'nowhere'.*needs search_urls"):
        load_feed_registry(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [("feeds: [unclosed", "not valid YAML"), ("- just a list", "mapping"), ("version: 1", "'feeds'")],
)
def test_malformed_registry_files(tmp_path, body, message):
    with pytest.raises(FeedRegistryError, match=message):
        load_feed_registry(_write(tmp_path, body))


def test_missing_registry_file(tmp_path):
    with pytest.raises(FeedRegistryError, match="not found"):
        load_feed_registry(tmp_path / "nope.yaml")


def test_broken_geo_catalog_is_reported_with_its_file(tmp_path, monkeypatch):
    bad = tmp_path / "geo.yaml"
    bad.write_text("version: 1\nwork_type_codes: {on_site: 1}\nplaces: {}\nregion_groups: {}\n")
    monkeypatch.setenv("DEJ_GEO_IDS_FILE", str(bad))
    with pytest.raises(GeoCatalogError, match=r"geo\.yaml.*work_type_codes"):
        load_geo_catalog()


def test_recovered_rows_are_attributed_by_their_discovery_input():
    geo = load_geo_catalog()
    brazil = load_feed_registry().get("engenheiro_dados_brazil").trigger_request(geo)
    url = brazil.inputs[0]["url"]
    reordered = "https://www.linkedin.com/jobs/search?" + "&".join(reversed(urlsplit(url).query.split("&")))
    assert normalize_search_url(url) == normalize_search_url(reordered + "&currentJobId=123")
    assert request_owns_record(brazil, {"job_posting_id": "1", "discovery_input": {"url": reordered}})
    assert request_owns_record(brazil, {"error_code": "crawl_failed", "input": {"url": url}})
    worldwide = load_feed_registry().get("data_engineer_worldwide").trigger_request(geo)
    assert not request_owns_record(worldwide, {"job_posting_id": "1", "discovery_input": {"url": url}})
    assert not request_owns_record(brazil, {"job_posting_id": "1"})
