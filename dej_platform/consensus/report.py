"""Consensus report as Markdown (for metadata and files) and a self-contained HTML page (inline CSS + SVG charts).

The HTML makes no external request: no CDN, no web fonts, no images by URL, so it opens offline and from S3.
Every value that came from a model is escaped; a hostile `overall_assessment` cannot inject markup.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from dej_platform.consensus.agreement import ConsensusResult

_MD_CELL_LIMIT = 80
_STATUS_ICON = {"passed": "PASS", "failed": "FAIL", "not_evaluated": "NOT EVALUATED"}


@dataclass
class ReportContext:
    """What the report is about: a title and free key/value lines (day, sample size, cost, ...)."""

    title: str = "Multi-model consensus"
    facts: Mapping[str, Any] = field(default_factory=dict)


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * float(value):.1f}%"


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _md_cell(value: Any) -> str:
    text = " ".join(_plain(value).split()).replace("|", "\\|")
    return text if len(text) <= _MD_CELL_LIMIT else text[: _MD_CELL_LIMIT - 1] + "…"


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    if not rows:
        return "_none_"
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _pass_rows(result: ConsensusResult) -> list[list[Any]]:
    rows = []
    for r in result.pass_summary.iter_rows(named=True):
        rows.append(
            [
                f"Pass {r['pass_number']}",
                _STATUS_ICON.get(r["status"], r["status"]),
                _pct(r["agreement"]),
                _pct(r["consensus_rate"]),
                r["evaluated"],
                f"{r['abstained']} ({_pct(r['abstained_share'])})",
                r["insufficient"],
                f"≥ {_pct(r['min_agreement'])} ({r['severity']})",
                r["reason"],
            ]
        )
    return rows


_PASS_HEADERS = [
    "Pass",
    "Status",
    "Agreement",
    "Consensus rate",
    "Evaluated",
    "All abstained (excluded)",
    "Too few models",
    "Threshold",
    "Reason",
]


def _model_rows(result: ConsensusResult) -> list[list[Any]]:
    summary = result.model_summary
    missing = result.missing_outputs
    rows = []
    for model in result.models:
        mine = summary.filter(pl.col("model") == model)

        def pick(n: int, col: str, frame: pl.DataFrame = mine) -> Any:
            found = frame.filter(pl.col("pass_number") == n).get_column(col).to_list()
            return found[0] if found else None

        miss = missing.filter(pl.col("model") == model).get_column("jobs_missing").to_list()
        rows.append(
            [
                model,
                _pct(pick(0, "agreement")),
                _pct(pick(1, "agreement")),
                _pct(pick(2, "agreement")),
                _pct(pick(3, "agreement")),
                _pct(pick(0, "outlier_rate")),
                _pct(pick(0, "list_coverage")),
                " / ".join(str(m) for m in miss),
            ]
        )
    return rows


_MODEL_HEADERS = [
    "Model",
    "Agrees with majority",
    "Pass 1",
    "Pass 2",
    "Pass 3",
    "Outlier rate",
    "List coverage",
    "Jobs missing (p1/p2/p3)",
]


def _kind_rows(result: ConsensusResult) -> list[list[Any]]:
    return [
        [r["kind"], r["evaluated"], r["abstained"], _pct(r["agreement"]), _pct(r["consensus_rate"])]
        for r in result.kind_summary.iter_rows(named=True)
    ]


def _truth_rows(ground_truth: pl.DataFrame | None) -> list[list[Any]]:
    if ground_truth is None:
        return []
    return [
        [
            r["check"],
            r["model"],
            f"{r['truth_column']} vs {r['model_column']}",
            r["jobs_with_truth"],
            r["answered"],
            r["correct"],
            _pct(r["accuracy"]),
            _pct(r["coverage"]),
        ]
        for r in ground_truth.iter_rows(named=True)
    ]


_TRUTH_HEADERS = [
    "Check",
    "Model",
    "Compared",
    "Jobs with truth",
    "Answered",
    "Correct",
    "Accuracy",
    "Coverage",
]


def _field_rows(result: ConsensusResult, pass_number: int) -> list[list[Any]]:
    frame = result.field_summary.filter(pl.col("pass_number") == pass_number)
    return [
        [
            r["field"],
            r["kind"],
            _pct(r["agreement"]),
            _pct(r["consensus_rate"]),
            r["evaluated"],
            r["abstained"],
        ]
        for r in frame.iter_rows(named=True)
    ]


_FIELD_HEADERS = ["Field", "Kind", "Agreement", "Consensus rate", "Evaluated", "All abstained"]


def _worst_rows(result: ConsensusResult, limit: int) -> list[list[Any]]:
    worst = (
        result.field_results.filter(pl.col("status") == "evaluated")
        .sort(["score", "pass_number", "field", "job_posting_id"])
        .head(limit)
    )
    values = (
        result.model_results.join(worst.select("job_posting_id", "field"), on=["job_posting_id", "field"])
        .with_columns(
            answer=pl.concat_str(
                [
                    pl.col("model"),
                    pl.lit(": "),
                    pl.col("value").fill_null("∅"),
                    pl.when(pl.col("outlier")).then(pl.lit(" (outlier)")).otherwise(pl.lit("")),
                ]
            )
        )
        .group_by(["job_posting_id", "field"])
        .agg(answers=pl.col("answer").sort())
    )
    joined = worst.join(values, on=["job_posting_id", "field"], how="left").sort(
        ["score", "pass_number", "field", "job_posting_id"]
    )
    return [
        [r["job_posting_id"], r["field"], _pct(r["score"]), "; ".join(r["answers"] or [])]
        for r in joined.iter_rows(named=True)
    ]


def render_markdown(
    result: ConsensusResult,
    ground_truth: pl.DataFrame | None = None,
    context: ReportContext | None = None,
    worst_limit: int = 20,
) -> str:
    context = context or ReportContext()
    parts = [f"# {context.title}", ""]
    parts += [f"- **{k}**: {_md_cell(v)}" for k, v in context.facts.items()]
    parts += [f"- **Models**: {', '.join(result.models) or 'none'}", ""]
    parts += ["## Agreement per pass", "", _md_table(_PASS_HEADERS, _pass_rows(result)), ""]
    parts += [
        "_Agreement_ is the mean field score over evaluated (job, field) pairs. Pairs where every model returned "
        "nothing (null, empty, `not_mentioned`) are counted under _All abstained_ and are **not** agreement.",
        "",
    ]
    if result.notes:
        parts += ["## Notes", "", *[f"- {_md_cell(n)}" for n in result.notes], ""]
    parts += ["## Models", "", _md_table(_MODEL_HEADERS, _model_rows(result)), ""]
    parts += [
        "## By field kind",
        "",
        _md_table(["Kind", "Evaluated", "All abstained", "Agreement", "Consensus rate"], _kind_rows(result)),
        "",
    ]
    parts += ["## Agreement with LinkedIn's structured fields", ""]
    parts += [
        _md_table(_TRUTH_HEADERS, _truth_rows(ground_truth))
        if ground_truth is not None
        else "_not computed_",
        "",
    ]
    for n in (1, 2, 3):
        parts += [f"## Pass {n} fields", "", _md_table(_FIELD_HEADERS, _field_rows(result, n)), ""]
    parts += [
        f"## Lowest-agreement answers (up to {worst_limit})",
        "",
        _md_table(["Job", "Field", "Score", "Answers"], _worst_rows(result, worst_limit)),
        "",
    ]
    return "\n".join(parts)


# -- HTML -------------------------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1f2933;max-width:1100px}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d9e2ec}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #d9e2ec;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}.PASS{color:#137333;font-weight:600}.FAIL{color:#b3261e;font-weight:600}
.NOT.EVALUATED,.NOT{color:#8a6d00;font-weight:600}.note{color:#52606d;font-size:.85rem}
svg text{font-family:inherit;font-size:11px}
"""


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], status_col: int | None = None) -> str:
    if not rows:
        return "<p class='note'>none</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = html.escape(_plain(value))
            cls = f" class='{html.escape(_plain(value))}'" if i == status_col else ""
            cells.append(f"<td{cls}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_pass_chart(result: ConsensusResult, pass_number: int) -> str:
    """Inline SVG: one bar per field (agreement), a line at the threshold; all-abstained fields shown apart."""
    fields = result.field_summary.filter(pl.col("pass_number") == pass_number).sort(
        ["agreement", "field"], nulls_last=True
    )
    threshold = float(result.pass_row(pass_number).get("min_agreement") or 0.0)
    label_w, bar_w, row_h, top = 260, 400, 16, 24
    height = top + row_h * max(fields.height, 1) + 10
    width = label_w + bar_w + 70
    out = [
        f"<svg role='img' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' aria-label='Pass {pass_number} agreement per field'>",
        f"<text x='0' y='14' font-weight='600'>Pass {pass_number}: agreement per field</text>",
    ]
    if fields.is_empty():
        out.append(f"<text x='0' y='{top + 12}'>no fields</text>")
    for i, r in enumerate(fields.iter_rows(named=True)):
        y = top + i * row_h
        name = html.escape(str(r["field"]))
        out.append(f"<text x='{label_w - 6}' y='{y + 12}' text-anchor='end'>{name}</text>")
        agreement = r["agreement"]
        if agreement is None:
            out.append(
                f"<text x='{label_w + 4}' y='{y + 12}' fill='#8a6d00'>all abstained ({r['abstained']})</text>"
            )
            continue
        w = max(1.0, bar_w * float(agreement))
        color = "#2f855a" if agreement >= threshold else "#c53030"
        out.append(
            f"<rect x='{label_w}' y='{y + 2}' width='{w:.1f}' height='{row_h - 4}' fill='{color}'>"
            f"<title>{name}: {_pct(agreement)} over {r['evaluated']} jobs</title></rect>"
        )
        out.append(f"<text x='{label_w + w + 4:.1f}' y='{y + 12}'>{_pct(agreement)}</text>")
    x = label_w + bar_w * threshold
    out.append(
        f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{top - 4}' y2='{height - 6}' stroke='#1f2933' stroke-dasharray='4 3'/>"
    )
    out.append(f"<text x='{x + 3:.1f}' y='{top - 6}'>threshold {_pct(threshold)}</text>")
    out.append("</svg>")
    return "".join(out)


def render_html(
    result: ConsensusResult,
    ground_truth: pl.DataFrame | None = None,
    context: ReportContext | None = None,
    worst_limit: int = 20,
) -> str:
    context = context or ReportContext()
    title = html.escape(context.title)
    facts = "".join(
        f"<li><b>{html.escape(str(k))}</b>: {html.escape(_plain(v))}</li>" for k, v in context.facts.items()
    )
    facts += f"<li><b>Models</b>: {html.escape(', '.join(result.models) or 'none')}</li>"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1><ul>{facts}</ul>",
        "<h2>Agreement per pass</h2>",
        _html_table(_PASS_HEADERS, _pass_rows(result), status_col=1),
        "<p class='note'>Agreement is the mean field score over evaluated (job, field) pairs. Pairs where every "
        "model returned nothing are counted as <i>all abstained</i> and are not agreement.</p>",
    ]
    if result.notes:
        parts.append(
            "<h2>Notes</h2><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in result.notes) + "</ul>"
        )
    parts += ["<h2>Models</h2>", _html_table(_MODEL_HEADERS, _model_rows(result))]
    parts += [
        "<h2>By field kind</h2>",
        _html_table(
            ["Kind", "Evaluated", "All abstained", "Agreement", "Consensus rate"], _kind_rows(result)
        ),
    ]
    parts += ["<h2>Agreement with LinkedIn's structured fields</h2>"]
    parts += [
        _html_table(_TRUTH_HEADERS, _truth_rows(ground_truth))
        if ground_truth is not None
        else "<p class='note'>not computed</p>"
    ]
    for n in (1, 2, 3):
        parts += [
            f"<h2>Pass {n}</h2>",
            render_pass_chart(result, n),
            _html_table(_FIELD_HEADERS, _field_rows(result, n)),
        ]
    parts += [
        f"<h2>Lowest-agreement answers (up to {worst_limit})</h2>",
        _html_table(["Job", "Field", "Score", "Answers"], _worst_rows(result, worst_limit)),
        "</body></html>",
    ]
    return "\n".join(parts)
