"""The market report: one self-contained HTML page (inline SVG charts, inline CSS, no scripts, no network)
and a Markdown summary for the Dagster UI.

Every chart states its sample size and how fresh the data is, because a share of 3 postings and a share of
3,000 should not look equally certain.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import polars as pl

from dej_platform.gold.schema import ALL

PALETTE = ("#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#9ca3af")
CATEGORY_COLORS = {
    "remote": "#16a34a",
    "hybrid": "#2563eb",
    "onsite": "#f59e0b",
    "unknown": "#9ca3af",
    "will_sponsor": "#16a34a",
    "must_be_authorized": "#f59e0b",
    "will_not_sponsor": "#dc2626",
    "not_mentioned": "#9ca3af",
    "true": "#16a34a",
    "false": "#dc2626",
}
CATEGORY_LABELS = {
    "onsite": "on-site",
    "will_sponsor": "will sponsor",
    "will_not_sponsor": "will not sponsor",
    "must_be_authorized": "must be authorized",
    "not_mentioned": "not mentioned",
    "true": "H-1B friendly",
    "false": "not H-1B friendly",
}
SENIORITY_ORDER = (
    "intern",
    "entry",
    "associate",
    "junior",
    "mid",
    "mid_senior",
    "senior",
    "staff",
    "principal",
    "distinguished",
    "director",
    "executive",
    "unknown",
)

# Every chart the page carries, in order: the browser test asserts each one renders.
CHART_IDS = (
    "top-skills",
    "skill-trend",
    "salary-by-seniority",
    "salary-by-country",
    "work-model",
    "visa-sponsorship",
    "h1b-friendly",
    "top-companies",
)
TABLE_IDS = ("rising-skills", "country-table", "skill-pairs")

WIDTH = 720


@dataclass(frozen=True)
class MarketReport:
    html: str
    markdown: str
    charts: tuple[str, ...]


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _md(value: object) -> str:
    """A Markdown table cell: pipes escaped, newlines flattened."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.0f}%"


def _usd(x: float | None) -> str:
    return "–" if x is None else f"${x / 1000:,.0f}k"


def _label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category.replace("_", " "))


# -- SVG primitives ----------------------------------------------------------------------------------------


def _svg(height: int, body: str, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{_e(title)}" font-family="system-ui, sans-serif" font-size="12">{body}</svg>'
    )


def _empty_svg(title: str, reason: str) -> str:
    body = f'<text class="no-data" x="{WIDTH / 2}" y="40" text-anchor="middle" fill="#6b7280">{_e(reason)}</text>'
    return _svg(70, body, title)


def bar_chart(items: Sequence[tuple[str, float, str]], title: str, color: str = PALETTE[0]) -> str:
    """Horizontal bars: (label, value in [0, max], text shown at the bar's end)."""
    if not items:
        return _empty_svg(title, "No data yet")
    row, left, right = 24, 180, 90
    top = max(v for _, v, _ in items) or 1.0
    span = WIDTH - left - right
    parts = []
    for i, (label, value, text) in enumerate(items):
        y = 8 + i * row
        w = max(1.0, span * value / top)
        parts.append(
            f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{_e(label[:28])}</text>'
            f'<rect class="mark" x="{left}" y="{y}" width="{w:.1f}" height="{row - 6}" fill="{color}" rx="2">'
            f"<title>{_e(label)}: {_e(text)}</title></rect>"
            f'<text x="{left + w + 6:.1f}" y="{y + 13}" fill="#374151">{_e(text)}</text>'
        )
    return _svg(16 + len(items) * row, "".join(parts), title)


def line_chart(series: Mapping[str, Sequence[tuple[date, float]]], title: str) -> str:
    """Lines over weeks (y = share of postings), one color per series, legend on top."""
    points = [p for s in series.values() for p in s]
    if not points:
        return _empty_svg(title, "No data yet")
    left, right, top_pad, bottom = 50, 20, 40, 30
    height = 260
    xs = sorted({d for d, _ in points})
    y_max = max(v for _, v in points) or 1.0
    span_x = WIDTH - left - right
    span_y = height - top_pad - bottom

    def x_of(d: date) -> float:
        return left + (span_x * xs.index(d) / (len(xs) - 1) if len(xs) > 1 else span_x / 2)

    def y_of(v: float) -> float:
        return top_pad + span_y * (1 - v / y_max)

    parts = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{WIDTH - right}" y2="{height - bottom}" stroke="#d1d5db"/>'
    ]
    for frac in (0.0, 0.5, 1.0):
        y = y_of(y_max * frac)
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#6b7280">{_pct(y_max * frac)}</text>'
        )
    for d in xs[:: max(1, len(xs) // 6)]:
        parts.append(
            f'<text x="{x_of(d):.1f}" y="{height - 10}" text-anchor="middle" fill="#6b7280">{d:%b %d}</text>'
        )
    for i, (name, pts) in enumerate(series.items()):
        color = PALETTE[i % len(PALETTE)]
        pts = sorted(pts)
        coords = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in pts)
        parts.append(
            f'<polyline class="mark" points="{coords}" fill="none" stroke="{color}" stroke-width="2"/>'
        )
        parts += [
            f'<circle cx="{x_of(d):.1f}" cy="{y_of(v):.1f}" r="3" fill="{color}"><title>{_e(name)} {d}: {_pct(v)}</title></circle>'
            for d, v in pts
        ]
        lx = left + i * 130
        parts.append(
            f'<rect x="{lx}" y="8" width="12" height="12" fill="{color}"/><text x="{lx + 16}" y="18">{_e(name[:16])}</text>'
        )
    return _svg(height, "".join(parts), title)


def range_chart(rows: Sequence[tuple[str, float, float, float, float, float, int]], title: str) -> str:
    """Box-and-whisker rows: (label, p10, p25, median, p75, p90, n); whiskers p10-p90, box p25-p75."""
    if not rows:
        return _empty_svg(title, "Not enough salaries to publish a benchmark yet")
    row, left, right = 30, 170, 120
    lo = min(r[1] for r in rows)
    hi = max(r[5] for r in rows)
    lo, hi = lo * 0.95, hi * 1.05 if hi > lo else lo + 1
    span = WIDTH - left - right

    def x_of(v: float) -> float:
        return left + span * (v - lo) / (hi - lo)

    parts = []
    for i, (label, p10, p25, p50, p75, p90, n) in enumerate(rows):
        y = 10 + i * row
        mid = y + (row - 8) / 2
        tip = f"{label}: p10 {_usd(p10)}, p25 {_usd(p25)}, median {_usd(p50)}, p75 {_usd(p75)}, p90 {_usd(p90)}, n={n}"
        parts.append(
            f'<text x="{left - 8}" y="{mid + 4:.1f}" text-anchor="end">{_e(label[:24])}</text>'
            f'<line x1="{x_of(p10):.1f}" y1="{mid:.1f}" x2="{x_of(p90):.1f}" y2="{mid:.1f}" stroke="#6b7280"/>'
            f'<rect class="mark" x="{x_of(p25):.1f}" y="{y}" width="{max(1.0, x_of(p75) - x_of(p25)):.1f}" '
            f'height="{row - 8}" fill="#bfdbfe" stroke="#2563eb"><title>{_e(tip)}</title></rect>'
            f'<line x1="{x_of(p50):.1f}" y1="{y}" x2="{x_of(p50):.1f}" y2="{y + row - 8}" stroke="#1e3a8a" stroke-width="2"/>'
            f'<text x="{WIDTH - right + 6}" y="{mid + 4:.1f}" fill="#374151">{_usd(p50)} · n={n}</text>'
        )
    axis_y = 10 + len(rows) * row
    for frac in (0.0, 0.5, 1.0):
        v = lo + (hi - lo) * frac
        parts.append(
            f'<text x="{x_of(v):.1f}" y="{axis_y + 12}" text-anchor="middle" fill="#6b7280">{_usd(v)}</text>'
        )
    return _svg(axis_y + 20, "".join(parts), title)


def stacked_chart(rows: Sequence[tuple[str, Sequence[tuple[str, float]], int]], title: str) -> str:
    """100% stacked bars: (label, [(category, share)], base n)."""
    if not rows:
        return _empty_svg(title, "No data yet")
    row, left, right = 28, 150, 70
    span = WIDTH - left - right
    seen = {c for _, cats, _ in rows for c, _ in cats}
    known = list(CATEGORY_COLORS)
    categories = sorted(seen, key=lambda c: (known.index(c) if c in known else len(known), c))
    parts = []
    for i, cat in enumerate(categories):
        lx = left + i * 140
        color = CATEGORY_COLORS.get(cat, PALETTE[i % len(PALETTE)])
        parts.append(
            f'<rect x="{lx}" y="6" width="12" height="12" fill="{color}"/><text x="{lx + 16}" y="16">{_e(_label(cat))}</text>'
        )
    for i, (label, cats, n) in enumerate(rows):
        y = 30 + i * row
        x = float(left)
        parts.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{_e(label[:22])}</text>')
        for cat, share in sorted(cats, key=lambda c: categories.index(c[0])):
            w = span * share
            color = CATEGORY_COLORS.get(cat, PALETTE[categories.index(cat) % len(PALETTE)])
            parts.append(
                f'<rect class="mark" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 8}" fill="{color}">'
                f"<title>{_e(label)} · {_e(_label(cat))}: {_pct(share)}</title></rect>"
            )
            if w > 30:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 14}" text-anchor="middle" fill="#fff">{_pct(share)}</text>'
                )
            x += w
        parts.append(f'<text x="{WIDTH - right + 6}" y="{y + 14}" fill="#374151">n={n}</text>')
    return _svg(30 + len(rows) * row + 4, "".join(parts), title)


# -- page sections -----------------------------------------------------------------------------------------


def _figure(chart_id: str, title: str, svg: str, sample: str, freshness: str, note: str = "") -> str:
    note_html = f'<p class="note">{_e(note)}</p>' if note else ""
    return (
        f'<figure class="chart" id="chart-{chart_id}" data-chart="{chart_id}"><figcaption><h3>{_e(title)}</h3>'
        f'<p class="meta">{_e(sample)} · {_e(freshness)}</p></figcaption>{svg}{note_html}</figure>'
    )


def _table(
    table_id: str, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], meta: str
) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    if rows:
        body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    else:
        body = f'<tr><td colspan="{len(headers)}">No data yet</td></tr>'
    return (
        f'<section class="table" id="table-{table_id}" data-table="{table_id}"><h3>{_e(title)}</h3>'
        f'<p class="meta">{_e(meta)}</p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>'
    )


def _country_names(tables: Mapping[str, pl.DataFrame]) -> dict[str, str]:
    summary = tables["agg_country_summary"]
    names = dict(zip(summary["country_code"], summary["country_name"], strict=True))
    return {**names, ALL: "All countries"}


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f9fafb;color:#111827}
main{max-width:800px;margin:0 auto;padding:24px}
header h1{margin:0 0 4px;font-size:26px} .sub{color:#4b5563;margin:0 0 16px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin:16px 0}
.kpi{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px}
.kpi b{display:block;font-size:22px} .kpi span{color:#6b7280;font-size:13px}
figure.chart,section.table{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:16px;margin:16px 0}
figcaption h3,section.table h3{margin:0;font-size:17px} .meta{color:#6b7280;font-size:12px;margin:4px 0 8px}
.note{color:#6b7280;font-size:12px;margin:6px 0 0}
table{border-collapse:collapse;width:100%;font-size:13px} th,td{padding:6px 8px;border-bottom:1px solid #f3f4f6;text-align:left}
th{background:#f3f4f6} h2{margin-top:32px;font-size:20px} footer{color:#6b7280;font-size:12px;margin:32px 0}
"""


def _freshness(fact: pl.DataFrame) -> tuple[str, datetime | None]:
    latest = fact["last_seen_at"].max() if fact.height else None
    if isinstance(latest, datetime):
        return f"data through {latest.astimezone(UTC):%Y-%m-%d %H:%M} UTC", latest
    return "no data yet", None


def render_market_report(
    tables: Mapping[str, pl.DataFrame], snapshot: date, generated_at: datetime | None = None
) -> MarketReport:
    """The HTML page and the Markdown summary from the gold star tables and aggregates of one snapshot."""
    generated_at = generated_at or datetime.now(UTC)
    fact = tables["fact_job_postings"]
    bridge = tables["bridge_job_skill"]
    demand = tables["agg_skill_demand_weekly"]
    bench = tables["agg_salary_benchmarks"]
    shares = tables["agg_market_shares"]
    companies = tables["agg_top_companies"]
    countries = tables["agg_country_summary"]
    pairs = tables["agg_skill_cooccurrence"]
    fresh, _ = _freshness(fact)
    names = _country_names(tables)
    n_jobs = fact.height
    figures: list[str] = []

    # Top skills over the snapshot.
    top_skills = (
        bridge.group_by("skill")
        .agg(postings=pl.len())
        .sort(["postings", "skill"], descending=[True, False])
        .head(15)
    )
    items = (
        [(s, n / n_jobs, f"{_pct(n / n_jobs)} ({n})") for s, n in top_skills.iter_rows()] if n_jobs else []
    )
    figures.append(
        _figure(
            "top-skills",
            "Most demanded skills",
            bar_chart(items, "Most demanded skills"),
            f"n = {n_jobs:,} postings",
            fresh,
            "Share of postings that ask for each skill.",
        )
    )

    # Trend of the top 5 skills: weekly share of postings.
    overall = demand.filter(pl.col("seniority_level") == ALL, pl.col("country_code") == ALL)
    top5 = top_skills["skill"].head(5).to_list()
    series = {
        s: list(zip(g["week_start"], g["share_of_postings"], strict=True))
        for s in top5
        if not (g := overall.filter(pl.col("skill") == s).sort("week_start")).is_empty()
    }
    weekly = overall.unique("week_start").sort("week_start")
    week_totals: list[int] = weekly["total_postings"].to_list()
    trend_n = (
        f"n = {sum(week_totals):,} postings over {len(week_totals)} weeks "
        f"({min(week_totals)}–{max(week_totals)} per week)"
        if weekly.height
        else "n = 0 postings"
    )
    figures.append(
        _figure(
            "skill-trend",
            "Top skills: weekly share of postings",
            line_chart(series, "Skill trend"),
            trend_n,
            fresh,
            "A week's share is noisy under ~30 postings.",
        )
    )

    # Salary ranges.
    all_time = bench.filter(pl.col("quarter") == ALL)
    stat_cols = ["salary_p10_usd", "salary_p25_usd", "salary_median_usd", "salary_p75_usd", "salary_p90_usd"]
    by_sen = all_time.filter(pl.col("country_code") == ALL, pl.col("seniority_level") != ALL).with_columns(
        order=pl.col("seniority_level").replace_strict(
            {s: i for i, s in enumerate(SENIORITY_ORDER)}, default=99, return_dtype=pl.Int32
        )
    )
    sen_rows = [
        (r["seniority_level"].replace("_", "-"), *(r[c] for c in stat_cols), r["salary_count"])
        for r in by_sen.sort("order").iter_rows(named=True)
    ]
    by_cty = all_time.filter(pl.col("seniority_level") == ALL, pl.col("country_code") != ALL).sort(
        "salary_count", descending=True
    )
    cty_rows = [
        (names.get(r["country_code"], r["country_code"]), *(r[c] for c in stat_cols), r["salary_count"])
        for r in by_cty.head(12).iter_rows(named=True)
    ]
    n_salaries = int(fact["salary_is_plausible"].fill_null(False).sum()) if n_jobs else 0
    salary_note = "Annual USD, posting mid-point; box = p25–p75, whiskers = p10–p90; cells with too few salaries hidden."
    figures.append(
        _figure(
            "salary-by-seniority",
            "Salary by seniority",
            range_chart(sen_rows, "Salary by seniority"),
            f"n = {n_salaries:,} postings with a salary",
            fresh,
            salary_note,
        )
    )
    figures.append(
        _figure(
            "salary-by-country",
            "Salary by country",
            range_chart(cty_rows, "Salary by country"),
            f"n = {n_salaries:,} postings with a salary",
            fresh,
            salary_note,
        )
    )

    # Work model, visa and H-1B shares: the whole market, then the biggest countries.
    top_countries = countries.head(8)["country_code"].to_list()

    def share_rows(dimension: str) -> list[tuple[str, list[tuple[str, float]], int]]:
        rows = []
        for code in [ALL, *top_countries]:
            part = shares.filter(pl.col("dimension") == dimension, pl.col("country_code") == code)
            if part.height:
                rows.append(
                    (
                        names.get(code, code),
                        list(zip(part["category"], part["share"], strict=True)),
                        int(part["base_postings"][0]),
                    )
                )
        return rows

    for chart_id, dimension, title, note in (
        ("work-model", "work_model", "Remote, hybrid and on-site", "Share of all postings."),
        (
            "visa-sponsorship",
            "visa_sponsorship",
            "Visa sponsorship stated in the posting",
            "Share of postings whose enrichment read the visa statement.",
        ),
        (
            "h1b-friendly",
            "h1b_friendly",
            "H-1B friendliness (inferred)",
            "Share of postings with an H-1B inference.",
        ),
    ):
        rows = share_rows(dimension)
        base = rows[0][2] if rows else 0
        figures.append(
            _figure(chart_id, title, stacked_chart(rows, title), f"n = {base:,} postings", fresh, note)
        )

    # Top hiring companies.
    top_co = companies.filter(pl.col("country_code") == ALL).sort("rank").head(12)
    co_items = [
        (r["company_name"] or "?", float(r["postings"]), f"{r['postings']} ({_pct(r['share_of_postings'])})")
        for r in top_co.iter_rows(named=True)
    ]
    figures.append(
        _figure(
            "top-companies",
            "Top hiring companies",
            bar_chart(co_items, "Top companies", PALETTE[4]),
            f"n = {n_jobs:,} postings",
            fresh,
        )
    )

    # Tables: rising skills, countries, skill pairs.
    weeks: list[date] = weekly["week_start"].to_list()
    latest_week = weeks[-1] if weeks else None
    latest_total = week_totals[-1] if weeks else 0
    rising = (
        overall.filter(
            pl.col("week_start") == pl.lit(latest_week, dtype=pl.Date),
            pl.col("growth_vs_prev_4w").is_not_null(),
        )
        .sort(["growth_vs_prev_4w", "skill"], descending=[True, False])
        .head(10)
    )
    rising_rows = [
        (
            r["skill"],
            str(r["postings"]),
            _pct(r["share_of_postings"]),
            _pct(r["prev_4w_share"]),
            f"{r['growth_vs_prev_4w'] * 100:+.0f}%",
        )
        for r in rising.iter_rows(named=True)
    ]
    tables_html = [
        _table(
            "rising-skills",
            "Rising skills (latest week vs the previous 4)",
            ["Skill", "Postings", "Share", "Share, prev. 4 weeks", "Growth"],
            rising_rows,
            f"week of {latest_week or '–'} · n = {latest_total} postings that week · {fresh}",
        ),
        _table(
            "country-table",
            "Countries",
            [
                "Country",
                "Region",
                "Postings",
                "Share",
                "Companies",
                "Remote",
                "Median salary",
                "n salaries",
                "Top skills",
            ],
            [
                (
                    r["country_name"] or r["country_code"],
                    r["market_region"] or "",
                    f"{r['postings']:,}",
                    _pct(r["share_of_postings"]),
                    str(r["companies"]),
                    _pct(r["remote_share"]),
                    _usd(r["salary_median_usd"]),
                    str(r["salary_count"]),
                    r["top_skills"] or "",
                )
                for r in countries.iter_rows(named=True)
            ],
            f"n = {n_jobs:,} postings · {fresh}",
        ),
        _table(
            "skill-pairs",
            "Skills that go together",
            ["Skills", "Postings together", "Lift", "Jaccard"],
            [
                (
                    f"{r['skill_a']} + {r['skill_b']}",
                    str(r["postings_together"]),
                    f"{r['lift']:.2f}",
                    f"{r['jaccard']:.2f}",
                )
                for r in pairs.head(12).iter_rows(named=True)
            ],
            f"n = {n_jobs:,} postings · {fresh}",
        ),
    ]

    remote = shares.filter(
        pl.col("country_code") == ALL, pl.col("dimension") == "work_model", pl.col("category") == "remote"
    )
    kpis = [
        (f"{n_jobs:,}", "postings"),
        (f"{fact['company_key'].n_unique() if n_jobs else 0:,}", "companies"),
        (f"{countries.height:,}", "countries"),
        (_pct(n_salaries / n_jobs) if n_jobs else "–", "with a plausible salary"),
        (_pct(remote["share"][0]) if remote.height else "–", "remote"),
    ]
    kpi_html = "".join(f'<div class="kpi"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for v, k in kpis)
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        f"<title>Data engineering job market — {snapshot}</title><style>{CSS}</style></head><body><main>"
        f'<header><h1>Data engineering job market</h1><p class="sub">Snapshot {snapshot} · {_e(fresh)} · '
        f"generated {generated_at:%Y-%m-%d %H:%M} UTC</p></header>"
        f'<section class="kpis">{kpi_html}</section>'
        f"<h2>Skills</h2>{figures[0]}{figures[1]}{tables_html[0]}{tables_html[2]}"
        f"<h2>Salaries</h2>{figures[2]}{figures[3]}"
        f"<h2>Work model and visas</h2>{figures[4]}{figures[5]}{figures[6]}"
        f"<h2>Who is hiring, and where</h2>{figures[7]}{tables_html[1]}"
        "<footer>Built by dej_platform from LinkedIn postings (silver) and their LLM enrichment (silver_ai). "
        "Seniority, work model and visa answers come from the enrichment where it succeeded, otherwise from "
        "LinkedIn's labels.</footer></main></body></html>"
    )
    return MarketReport(html=page, markdown=_markdown(tables, snapshot, fresh, n_salaries), charts=CHART_IDS)


def _markdown(tables: Mapping[str, pl.DataFrame], snapshot: date, fresh: str, n_salaries: int) -> str:
    fact = tables["fact_job_postings"]
    n = fact.height
    skills = (
        tables["bridge_job_skill"]
        .group_by("skill")
        .agg(postings=pl.len())
        .sort(["postings", "skill"], descending=[True, False])
        .head(10)
    )
    bench = tables["agg_salary_benchmarks"].filter(
        pl.col("country_code") == ALL, pl.col("quarter") == ALL, pl.col("seniority_level") != ALL
    )
    lines = [
        f"**Market snapshot {snapshot}** · {fresh}",
        "",
        f"- {n:,} postings from {fact['company_key'].n_unique() if n else 0:,} companies in "
        f"{tables['agg_country_summary'].height} countries",
        f"- {n_salaries:,} postings with a plausible salary",
        "",
        "| Skill | Postings | Share |",
        "|---|---|---|",
        *[f"| {_md(s)} | {c} | {_pct(c / n)} |" for s, c in skills.iter_rows()],
    ]
    if bench.height:
        lines += ["", "| Seniority | Median salary (USD/yr) | n |", "|---|---|---|"]
        order = {s: i for i, s in enumerate(SENIORITY_ORDER)}
        for r in sorted(bench.iter_rows(named=True), key=lambda r: order.get(r["seniority_level"], 99)):
            lines.append(f"| {r['seniority_level']} | {_usd(r['salary_median_usd'])} | {r['salary_count']} |")
    return "\n".join(lines)
