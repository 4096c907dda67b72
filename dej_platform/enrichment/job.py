"""What enrichment reads of a silver job posting, and the cut of its text each pass sees."""

from __future__ import annotations

import hashlib
import re

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from dej_platform.enrichment.tokens import estimate_tokens

INPUT_COLUMNS = (
    "job_posting_id",
    "content_hash",
    "job_title",
    "company_name",
    "job_location",
    "job_description_text",
    "job_num_applicants",
    "salary_text",
)


class JobInput(BaseModel):
    """One silver row as enrichment sees it (the silver contract's names)."""

    model_config = ConfigDict(extra="ignore")

    job_posting_id: str
    content_hash: str
    job_title: str | None = None
    company_name: str | None = None
    job_location: str | None = None
    job_description_text: str | None = None
    job_num_applicants: int | None = Field(default=None, ge=0)
    salary_text: str | None = None

    @property
    def has_text(self) -> bool:
        return bool((self.job_description_text or "").strip())


def fallback_content_hash(title: str | None, company: str | None, text: str | None) -> str:
    """Silver always sets `content_hash`; this stands in for inputs that lack it (CLI on foreign files)."""
    digest = hashlib.sha256("\x1f".join(v or "" for v in (title, company, text)).encode("utf-8"))
    return digest.hexdigest()


def jobs_from_frame(df: pl.DataFrame) -> list[JobInput]:
    """Silver rows -> `JobInput`s; missing optional columns are treated as null, a missing hash is computed."""
    missing_required = [c for c in ("job_posting_id",) if c not in df.columns]
    if missing_required:
        raise KeyError(f"input lacks required columns {missing_required}")
    frame = df.select(
        [pl.col(c) if c in df.columns else pl.lit(None).alias(c) for c in INPUT_COLUMNS]
    ).with_columns(pl.col("job_posting_id").cast(pl.String))
    jobs = []
    for row in frame.iter_rows(named=True):
        row["content_hash"] = row["content_hash"] or fallback_content_hash(
            row["job_title"], row["company_name"], row["job_description_text"]
        )
        applicants = row.get("job_num_applicants")
        row["job_num_applicants"] = applicants if isinstance(applicants, int) and applicants >= 0 else None
        jobs.append(JobInput.model_validate(row))
    return jobs


# -- the text each pass sees ------------------------------------------------------------------------------------
_BOILERPLATE = re.compile(
    r"equal (employment )?opportunit|without regard to|regardless of (race|gender|age)|race, colou?r|"
    r"reasonable accommodation|protected veteran|affirmative action|e-verify|privacy (policy|notice)|"
    r"applicants? with disabilit|drug[- ]free|pay transparency|^show (more|less)|show more show less|"
    r"know your rights|fraudulent (job|recruit)|never ask for payment",
    re.IGNORECASE,
)
_NEVER_DROP = re.compile(r"visa|sponsor|clearance|authori[sz]ed to work|citizen(ship)? (is )?required", re.I)
_PASS_SIGNALS = {
    1: re.compile(
        r"\$|€|£|salary|pay|compensation|per (hour|year|annum)|visa|sponsor|citizen|clearance|remote|hybrid|"
        r"on-?site|office|contract|full[- ]time|part[- ]time|intern|duration|months|years|degree|bachelor|"
        r"master|phd|benefit|401|equity|stock|pto|vacation|leave|budget|certif|must|required|preferred|plus|"
        r"nice to have|experience|proficien|llm|genai|generative|gpt|rag\b|feature store|relocat|located",
        re.I,
    ),
    2: re.compile(
        r"senior|junior|staff|principal|lead|manag|mentor|architect|years|aws|azure|gcp|google cloud|"
        r"snowflake|databricks|bigquery|redshift|kafka|kinesis|flink|stream|batch|airflow|dagster|prefect|dbt|"
        r"warehouse|lake|delta|iceberg|hudi|hadoop|on-?prem|remote|time ?zone|relocat|visa|sponsor|citizen|"
        r"w-?2|c2c|1099|benefit|growth|promot|career|mobility|track|responsib|require|scope",
        re.I,
    ),
    3: re.compile(
        r"team|report|manager|director|cto|startup|series|fund|ipo|public|fortune|growth|grow|scal|culture|"
        r"on-?call|overtime|fast[- ]paced|urgent|immediate|asap|backfill|new (team|role|function)|first|"
        r"open[- ]source|blog|conference|hackathon|innovation|code review|pair|tdd|ci/?cd|monitor|incident|"
        r"postmortem|design doc|rfc|ml|machine learning|ai\b|llm|mlops|govern|quality|mesh|tech(nical)? debt|"
        r"legacy|modern|balance|flexib|learn",
        re.I,
    ),
}
_MAX_LINE_CHARS = 500


def _lines(text: str) -> list[str]:
    """Non-empty lines; a very long line (a posting without structure) is split into sentences."""
    out: list[str] = []
    for raw in text.replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        if len(line) <= _MAX_LINE_CHARS:
            out.append(line)
            continue
        sentences = re.split(r"(?<=[.!?;])\s+", line)
        chunk = ""
        for sentence in sentences:
            while len(sentence) > _MAX_LINE_CHARS:  # hostile text without any punctuation
                out.append(sentence[:_MAX_LINE_CHARS])
                sentence = sentence[_MAX_LINE_CHARS:]
            if chunk and len(chunk) + len(sentence) + 1 > _MAX_LINE_CHARS:
                out.append(chunk)
                chunk = sentence
            else:
                chunk = f"{chunk} {sentence}".strip()
        if chunk:
            out.append(chunk)
    return out


def _neutralise(line: str) -> str:
    """A posting cannot close our `<posting>` block or open a reasoning block of its own."""
    return re.sub(r"</?\s*(posting|think|reasoning|system|assistant|user)\b[^>]*>", "", line, flags=re.I)


def condense_posting(text: str | None, token_budget: int, pass_number: int) -> str:
    """The posting's lines that fit `token_budget`, legal boilerplate removed, whole lines only, original order.

    When the posting is longer than the budget, the lines that carry this pass's signals are kept first and every
    gap is marked `[...]` so the model knows text was left out. No line is ever cut in the middle.
    """
    if not text or not text.strip():
        return "(no description)"
    seen: set[str] = set()
    lines: list[str] = []
    for line in _lines(text):
        key = line.lower()
        if key in seen or (_BOILERPLATE.search(line) and not _NEVER_DROP.search(line)):
            continue
        seen.add(key)
        lines.append(_neutralise(line))
    costs = [estimate_tokens(line) + 1 for line in lines]
    if sum(costs) <= token_budget:
        return "\n".join(lines)
    signal = _PASS_SIGNALS[pass_number]

    def priority(index: int) -> tuple[int, int]:
        line = lines[index]
        score = 2 * bool(_NEVER_DROP.search(line)) + bool(signal.search(line)) + (index < 3)
        return (-score, index)

    kept: set[int] = set()
    spent = 0
    for index in sorted(range(len(lines)), key=priority):
        if spent + costs[index] <= token_budget:
            kept.add(index)
            spent += costs[index]
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in kept:
            out.append(line)
        elif not out or out[-1] != "[...]":
            out.append("[...]")
    return "\n".join(out)


def job_header(job: JobInput) -> str:
    parts = [
        f"Title: {job.job_title or 'unknown'}",
        f"Company: {job.company_name or 'unknown'}",
        f"Location: {job.job_location or 'unknown'}",
    ]
    if job.job_num_applicants is not None:
        parts.append(f"Applicants: {job.job_num_applicants}")
    if job.salary_text:
        parts.append(f"Listed pay: {' '.join(job.salary_text.split())[:200]}")
    return _neutralise("\n".join(parts))
