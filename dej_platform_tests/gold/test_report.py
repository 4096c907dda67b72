from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from dej_platform.gold.aggregates import build_aggregates
from dej_platform.gold.config import GoldSettings
from dej_platform.gold.report import CHART_IDS, TABLE_IDS, render_market_report
from dej_platform.gold.star import build_star_schema
from dej_platform_tests.gold.market_fixture import enrichment, silver_current

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = '<img src="http://127.0.0.1:9/x.png" onerror="alert(1)">Evil & Co'


def gold_tables(silver: pl.DataFrame, settings: GoldSettings | None = None) -> dict[str, pl.DataFrame]:
    star = build_star_schema(silver, enrichment())
    return {**star.tables(), **build_aggregates(star, settings or GoldSettings(min_salary_sample=2))}


@pytest.fixture(scope="module")
def report():
    silver = silver_current().with_columns(
        company_name=pl.when(pl.col("job_posting_id") == "j12")
        .then(pl.lit(HOSTILE))
        .otherwise("company_name")
    )
    return render_market_report(gold_tables(silver), date(2026, 2, 6), datetime(2026, 2, 6, 3, tzinfo=UTC))


def test_report_is_self_contained(report):
    page = report.html
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)  # nothing to fetch
    assert "@import" not in page and "url(" not in page
    assert "&lt;img" in page  # the hostile company name is text, not markup


def test_every_chart_states_sample_size_and_freshness(report):
    for chart in CHART_IDS:
        match = re.search(rf'data-chart="{chart}".*?<p class="meta">(.*?)</p>', report.html, re.S)
        assert match, chart
        assert "n = " in match.group(1) and "data through 2026-02-06 12:00 UTC" in match.group(1), chart
    for table in TABLE_IDS:
        assert f'data-table="{table}"' in report.html


def test_markdown_summary_has_the_headlines(report):
    md = report.markdown
    assert "12 postings from 4 companies in 3 countries" in md
    assert "| Python | 7 | 58% |" in md
    assert "| senior | $145k | 2 |" in md  # j01 120k and j06 170k


def test_empty_market_renders_placeholders():
    star = build_star_schema(silver_current().head(0))
    report = render_market_report({**star.tables(), **build_aggregates(star)}, date(2026, 2, 6))
    assert report.html.count('class="no-data"') == len(CHART_IDS)
    assert "no data yet" in report.html


@pytest.mark.browser
@pytest.mark.slow
def test_report_renders_in_headless_chromium(report, tmp_path: Path):
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail(
            "Chromium is not installed: run .ci/run, or `apt-get update && apt-get install -y chromium` "
            "(the browser tests drive /usr/bin/chromium through playwright)."
        )
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "index.html"
    page_file.write_text(report.html, encoding="utf-8")
    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
            page.goto(page_file.as_uri(), wait_until="load")
            for chart in CHART_IDS:
                svg = page.locator(f'figure[data-chart="{chart}"] svg')
                assert svg.count() == 1, chart
                box = svg.bounding_box()
                assert box and box["width"] > 300 and box["height"] > 40, (chart, box)
                marks = page.locator(f'figure[data-chart="{chart}"] svg .mark')
                assert marks.count() > 0, f"{chart} draws nothing"
                assert marks.first.is_visible(), chart
            for table in TABLE_IDS:
                assert page.locator(f'section[data-table="{table}"] tbody tr').count() > 0, table
            # The hostile company name shows as literal text (markup escaped, nothing fetched or run).
            assert '<img src="http' in page.locator('figure[data-chart="top-companies"]').inner_text()
            assert page.locator("main img").count() == 0
            assert page.title().startswith("Data engineering job market")
        finally:
            browser.close()
    assert requests == [page_file.as_uri()], requests
    assert problems == []
