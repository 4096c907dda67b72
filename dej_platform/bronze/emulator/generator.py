"""Deterministic synthetic LinkedIn job postings in Bright Data's `gd_lpfll7v5hcqtkxl6l` record shape.

Public API (also used by silver tests and benchmarks):

- `iter_records(n, seed, ...)`: stream `n` rows (postings, plus error rows at `error_rate`).
- `write_jsonl(fileobj, n, seed, ...)`: write them as NDJSON bytes; returns the byte count.
- `snapshot_records(seed, inputs, discover_by, collected_at, ...)`: what one Bright Data snapshot for a trigger's
  inputs contains (what the emulator serves). Same seed, inputs and collection hour => same rows.
- `error_row(input, timestamp)`: a `crawl_failed` row as Bright Data delivers it with `include_errors=true`.

A job's static fields (id, title, company, description, ...) derive from its identity (seed, stream, origin hour,
slot); a share of each hour's rows are re-posts of jobs first seen in the previous 24 hours, with the same
`job_posting_id`, so cross-hour dedup has something to do.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import IO, Any, Literal
from urllib.parse import parse_qs, quote, urlsplit

from dej_platform.bronze.emulator import vocabulary as V

Shape = Literal["legacy", "current", "mixed"]
ERROR_MESSAGE = "Crawl failed after multiple attempts, please try again later"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SECTION_OPEN = (
    '<section class="show-more-less-html" data-max-lines="5">\n'
    '        <div class="show-more-less-html__markup show-more-less-html__markup--clamp-after-5\n'
    '            relative overflow-hidden">\n          '
)
_BUTTON = (
    '\n    <button class="show-more-less-html__button show-more-less-button\n'
    "        show-more-less-html__button--{which}\n"
    '        ml-0.5" data-tracking-control-name="public_jobs_show-{which}-html-btn" '
    'aria-label="i18n_show_{which}" aria-expanded="{expanded}">\n<!---->\n'
    "            Show {which}\n\n"
    '          <icon class="show-more-less-html__button-icon show-more-less-button-icon" '
    'data-delayed-url="https://static.licdn.com/aero-v1/sc/h/{icon}"></icon>\n    </button>\n'
)
_SECTION_CLOSE = (
    "\n        </div>\n"
    + _BUTTON.format(which="more", expanded="false", icon="emu0more0icon")
    + _BUTTON.format(which="less", expanded="true", icon="emu0less0icon")
    + "<!---->    </section>\n"
)
_TITLE_BY_LANGUAGE = {"pt": V.TITLES_PT, "de": V.TITLES_DE, "fr": V.TITLES_FR, "es": V.TITLES_ES}
_EMPLOYMENT, _EMPLOYMENT_WEIGHTS = zip(*V.EMPLOYMENT_TYPES, strict=True)


def seed_int(*parts: object) -> int:
    """A stable 64-bit integer from any parts (Python's `hash` is salted per process)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _html(text: str) -> str:
    """LinkedIn-style escaping: named entities for markup characters, hex references for non-ASCII."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
    text = text.replace('"', "&quot;")
    return text if text.isascii() else _NON_ASCII.sub(_hex_reference, text)


def _hex_reference(match: re.Match[str]) -> str:
    return f"&#x{ord(match.group()):X};"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "job"


def _timestamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _relative_time(delta: timedelta) -> str:
    minutes = max(1, int(delta.total_seconds() // 60))
    for size, unit in ((43_200, "month"), (10_080, "week"), (1_440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size:
            count = minutes // size
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "1 minute ago"


@lru_cache(maxsize=1024)
def _places_for(input_key: str) -> tuple[tuple[V.Place, ...], str | None]:
    """The places (and a preferred language) a discovery input plausibly returns jobs in."""
    data = json.loads(input_key) if input_key else {}
    country = None
    region_name = None
    language = None
    if "url" in data:
        query = parse_qs(urlsplit(str(data["url"])).query)
        geo_id = (query.get("geoId") or [""])[0]
        keywords = (query.get("keywords") or [""])[0].lower()
        if "engenheir" in keywords or "dados" in keywords:
            language = "pt"
        country, region_name = _geo_country(geo_id)
    else:
        country = (data.get("country") or "").upper() or None
        if "dados" in str(data.get("keyword", "")).lower():
            language = "pt"
    if country:
        local = tuple(p for p in V.PLACES if p.country == country)
        if region_name and country == "US":
            local = (V.Place(f"{region_name}, United States", "US", "www", "usd", "en"), *local[:2])
        if local:
            return local, language
    return V.PLACES, language


@lru_cache(maxsize=1)
def _geo_index() -> dict[str, tuple[str | None, str | None]]:
    from dej_platform.bronze.geo import load_geo_catalog

    try:
        catalog = load_geo_catalog()
    except Exception:  # a broken catalog must not break the emulator
        return {}
    index: dict[str, tuple[str | None, str | None]] = {}
    for place in catalog.places.values():
        index[place.geo_id] = (place.country, None)
    for group in catalog.region_groups.values():
        for loc in group.locations:
            index[loc.geo_id] = (loc.country, loc.name if loc.region_code else None)
    return index


def _geo_country(geo_id: str) -> tuple[str | None, str | None]:
    return _geo_index().get(geo_id, (None, None))


def _input_key(discovery_input: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(discovery_input or {}), sort_keys=True, default=str)


def error_row(
    discovery_input: Mapping[str, Any] | None, timestamp: datetime, *, code: str = "crawl_failed"
) -> dict[str, Any]:
    """An error row as Bright Data delivers it (`include_errors=true`): no `job_posting_id`."""
    return {
        "timestamp": _timestamp(timestamp),
        "input": dict(discovery_input or {}),
        "error": ERROR_MESSAGE if code == "crawl_failed" else "Page not found or removed",
        "error_code": code,
    }


class _Job:
    """The static part of one posting, derived from its identity."""

    __slots__ = (
        "apply_link",
        "company",
        "company_id",
        "company_logo",
        "company_url",
        "country_code",
        "description",
        "employment",
        "function",
        "has_function",
        "has_logo",
        "id",
        "industry",
        "input_url",
        "pay_range",
        "place",
        "posted",
        "poster",
        "salary",
        "seniority",
        "summary",
        "title",
        "title_id",
        "url",
    )

    apply_link: str | None
    country_code: str | None
    title_id: str | None
    pay_range: str | None
    poster: dict[str, str | None]
    salary: dict[str, Any]

    def __init__(
        self,
        rng: random.Random,
        posted: datetime,
        places: Sequence[V.Place],
        language: str | None,
        base_salary_rate: float,
    ) -> None:
        self.id = str(3_900_000_000 + rng.randrange(600_000_000))
        place = rng.choice(places)
        self.place = place
        lang = language if language and rng.random() < 0.75 else place.language
        titles = _TITLE_BY_LANGUAGE.get(lang, ()) if rng.random() < 0.7 else ()
        self.title, seniority = rng.choice(titles or V.TITLES_EN)
        self.seniority = seniority if rng.random() < 0.85 else rng.choice(V.SENIORITY_NOISE)
        self.company = rng.choice(V.COMPANIES)
        self.company_id = str(seed_int("company", self.company) % 90_000_000 + 10_000)
        company_slug = _slug(self.company)
        host = "www" if place.subdomain == "www" or rng.random() < 0.5 else place.subdomain
        self.company_url = (
            f"https://{host}.linkedin.com/company/{company_slug}?trk=public_jobs_topcard-org-name"
        )
        self.has_logo = rng.random() < 0.8
        self.company_logo = (
            f"https://media.licdn.com/dms/image/v2/D4E0BAQ{seed_int(self.company) % 10**12:012d}/company-logo_100_100/"
            f"company-logo_100_100/0/{1_600_000_000_000 + seed_int('logo', self.company) % 10**11}/{company_slug}_logo"
            "?e=2147483647&v=beta&t=emulated"
        )
        self.industry = "Staffing and Recruiting" if self.company in V.STAFFING else rng.choice(V.INDUSTRIES)
        if rng.random() < 0.15:
            self.industry += rng.choice((" and ", ", ")) + rng.choice(V.INDUSTRIES)
        self.has_function = rng.random() < 0.97
        self.function = rng.choice(V.FUNCTIONS)
        self.employment = rng.choices(_EMPLOYMENT, weights=_EMPLOYMENT_WEIGHTS)[0]
        if "Intern" in self.title or "Estágio" in self.title:
            self.employment = "Internship"
        slug = f"{_slug(self.title)}-at-{company_slug}-{self.id}"
        self.url = (
            f"https://www.linkedin.com/jobs/view/{slug}?{rng.choice(('_l=en', 'lg=en', 'trk=public_jobs'))}"
        )
        self.input_url = f"https://{place.subdomain}.linkedin.com/jobs/view/{slug}"
        self.country_code = place.country if rng.random() < 0.45 else None
        self.title_id = str(rng.choice((25201, 2732, 7092, 6483, 30128, 340))) if rng.random() < 0.7 else None
        self.posted = posted
        if rng.random() < 0.6:
            careers = f"https://careers.{company_slug}.example/jobs/{self.id[-6:]}?source=linkedin"
            self.apply_link = (
                f"https://www.linkedin.com/jobs/view/externalApply/{self.id}?url={quote(careers, safe='')}"
                f"&urlHash={seed_int(self.id) % 65536:04x}"
            )
        else:
            self.apply_link = None
        if rng.random() < 0.2:
            first, last = rng.choice(V.FIRST_NAMES), rng.choice(V.LAST_NAMES)
            self.poster = {
                "name": f"{first} {last}",
                "title": f"{rng.choice(V.POSTER_TITLES)} at {self.company}",
                "url": f"https://{place.subdomain}.linkedin.com/in/{_slug(first + ' ' + last)}-{self.id[-5:]}",
            }
        else:
            self.poster = {"name": None, "title": None, "url": None}
        salary_text, lo, hi = self._salary(rng)
        structured = V.STRUCTURED_SALARY.get(place.salary_style)
        if structured and lo is not None and rng.random() < base_salary_rate:
            currency, period = structured
            self.salary = {
                "min_amount": float(lo),
                "max_amount": float(hi if hi is not None else lo),
                "currency": currency,
                "payment_period": period,
            }
            self.pay_range = f"{currency}{lo:,.2f}/{period} - {currency}{hi:,.2f}/{period}"
        else:
            self.salary = {"min_amount": None, "max_amount": None, "currency": None, "payment_period": None}
            self.pay_range = None
        self.description, self.summary = self._description(rng, lang, salary_text)

    def _salary(self, rng: random.Random) -> tuple[str | None, int | None, int | None]:
        options = V.SALARY_TEXTS.get(self.place.salary_style, ())
        if not options or rng.random() < 0.4:
            return None, None, None
        template, low, high, step = rng.choice(options)
        lo = low + step * rng.randrange(max(1, (high - low) // step // 2))
        hi = min(high, lo + step * rng.randint(2, 8))
        style = self.place.salary_style
        if style in ("brl", "eur_de"):
            fmt = lambda v: f"{v:,}".replace(",", ".")  # noqa: E731 - Brazilian/German thousands separator
        elif style == "chf":
            fmt = lambda v: f"{v:,}".replace(",", "'")  # noqa: E731
        elif style == "pln":
            fmt = lambda v: f"{v:,}".replace(",", "\u00a0")  # noqa: E731
        else:
            fmt = lambda v: f"{v:,}"  # noqa: E731
        return template.format(lo=fmt(lo), hi=fmt(hi)), lo, hi

    def _description(self, rng: random.Random, lang: str, salary_text: str | None) -> tuple[str, str]:
        pt = lang == "pt"
        heads = V.SECTION_HEADINGS_PT if pt else V.SECTION_HEADINGS_EN
        skills = rng.sample(V.SKILLS, 8)
        city = self.place.location.split(",")[0]
        fields = {
            "company": self.company,
            "industry_lc": self.industry.split(" and ")[0].lower(),
            "region": V.COUNTRY_NAMES.get(self.place.country, "the world"),
            "size": rng.choice((40, 120, 800, 5000)),
            "growth": rng.choice((35, 60, 120)),
            "title": self.title,
            "s1": skills[0],
            "s2": skills[1],
            "s3": skills[2],
            "years": rng.choice((2, 3, 4, 5, 7)),
            "city": city,
            "country_name": V.COUNTRY_NAMES.get(self.place.country, "your country"),
            "tz": V.TIME_ZONES.get(self.place.country, "CET"),
            "money": rng.choice(("$2,000", "€1,500", "£1,000")),
        }

        def fill(template: str, offset: int) -> str:
            return template.format(**{**fields, "s1": skills[offset % 8], "s2": skills[(offset + 1) % 8]})

        def typographic(text: str) -> str:
            if rng.random() < 0.5:
                text = text.replace("'", "\u2019")
            return text.replace(" - ", " \u2013 ") if rng.random() < 0.3 else text

        blocks: list[tuple[str, str]] = []  # (html, plain text)

        def heading(key: str) -> None:
            label = rng.choice(heads[key])
            style = rng.random()
            if style < 0.5:
                blocks.append((f"<p><strong>{_html(label)}:</strong></p>", f"{label}:"))
            elif style < 0.8:
                blocks.append((f"<strong>{_html(label)}</strong><br><br>", label))
            else:
                blocks.append((f"<p><u>{_html(label)}</u></p>", label))

        def paragraph(text: str) -> None:
            text = typographic(text)
            blocks.append((f"<p>{_html(text)}</p>", text))

        def bullets(items: list[str]) -> None:
            items = [typographic(i) for i in items]
            if rng.random() < 0.85:
                html = "<ul>" + "".join(f"<li>{_html(i)}</li>" for i in items) + "</ul>"
            else:  # plain-text bullets, as many recruiters paste them
                html = "<br>".join(f"&#x2022; {_html(i)}" for i in items) + "<br><br>"
            blocks.append((html, " ".join(items)))

        heading("about")
        paragraph(fill(rng.choice(V.ABOUT_PT if pt else V.ABOUT_TEMPLATES), 0))
        if not pt:
            heading("role")
            paragraph(fill(rng.choice(V.ROLE_TEMPLATES), 2))
        heading("responsibilities")
        pool: Sequence[str] = V.RESPONSIBILITY_PT if pt else V.RESPONSIBILITY_TEMPLATES
        bullets([fill(t, i) for i, t in enumerate(rng.sample(pool, min(len(pool), rng.randint(4, 7))))])
        heading("requirements")
        pool = V.REQUIREMENT_PT if pt else V.REQUIREMENT_TEMPLATES
        bullets([fill(t, i + 3) for i, t in enumerate(rng.sample(pool, min(len(pool), rng.randint(4, 7))))])
        if rng.random() < 0.6:
            heading("nice")
            bullets(
                [
                    fill(t, i + 5)
                    for i, t in enumerate(rng.sample(V.NICE_TO_HAVE_TEMPLATES, rng.randint(2, 4)))
                ]
            )
        work_mode = rng.choices(("remote", "hybrid", "on_site"), weights=(35, 40, 25))[0]
        statements = (V.REMOTE_PT if pt else V.REMOTE_STATEMENTS)[work_mode]
        paragraph(fill(rng.choice(statements), 0))
        if rng.random() < 0.55:
            heading("benefits")
            pool = V.BENEFITS_PT if pt else V.BENEFITS_EN
            bullets([fill(t, 0) for t in rng.sample(pool, min(len(pool), rng.randint(3, 6)))])
        if salary_text:
            paragraph(salary_text)
        if not pt and rng.random() < 0.35:
            kind = "sponsor" if rng.random() < 0.35 else "no_sponsor"
            paragraph(fill(rng.choice(V.VISA_STATEMENTS[kind]), 0))
        if not pt and rng.random() < 0.4:
            paragraph(fill(rng.choice(V.EEO_STATEMENTS), 0))
        separator = "<p><br></p>" if rng.random() < 0.5 else ""
        html = _SECTION_OPEN + separator.join(b[0] for b in blocks) + _SECTION_CLOSE
        summary = " ".join(b[1] for b in blocks) + " Show more Show less"
        return html, summary


def _observe(
    job: _Job,
    rng: random.Random,
    scraped: datetime,
    discovery_input: Mapping[str, Any],
    discover_by: str,
    shape: Shape,
    quirk_rate: float,
) -> dict[str, Any]:
    """One delivered row for `job` as scraped at `scraped`."""
    age_hours = max(0.0, (scraped - job.posted).total_seconds() / 3600)
    applicants = 25 if rng.random() < 0.55 else min(200, 26 + int(rng.random() * (20 + age_hours * 4)))
    record: dict[str, Any] = {
        "url": job.url,
        "job_posting_id": job.id,
        "job_title": job.title,
        "company_name": job.company,
        "company_id": job.company_id,
        "job_location": job.place.location,
        "job_summary": job.summary,
        "job_seniority_level": job.seniority,
    }
    if job.has_function:
        record["job_function"] = job.function
    record.update(
        {
            "job_employment_type": job.employment,
            "job_industries": job.industry,
            "company_url": job.company_url,
            "job_posted_time": _relative_time(scraped - job.posted),
            "job_num_applicants": applicants,
            "discovery_input": dict(discovery_input),
            "apply_link": job.apply_link,
            "country_code": job.country_code,
            "title_id": job.title_id,
        }
    )
    if job.has_logo:
        record["company_logo"] = job.company_logo
    record.update(
        {
            "job_posted_date": _timestamp(job.posted),
            "job_poster": dict(job.poster),
            "application_availability": rng.random() < 0.97,
            "job_description_formatted": job.description,
            "base_salary": dict(job.salary),
        }
    )
    current = shape == "current" or (shape == "mixed" and rng.random() < 0.5)
    if current:
        record["job_base_pay_range"] = job.pay_range
        record["is_easy_apply"] = job.apply_link is None
    record["timestamp"] = _timestamp(scraped)
    record["input"] = (
        {"url": job.input_url, "discovery_input": dict(discovery_input)}
        if discover_by == "keyword"
        else {"url": job.input_url}
    )
    if quirk_rate and rng.random() < quirk_rate:
        _apply_quirk(record, rng)
    return record


def _apply_quirk(record: dict[str, Any], rng: random.Random) -> None:
    """Type drift seen in real exports: numbers as strings, 'None' strings, nested objects as Python reprs."""
    quirk = rng.randrange(5)
    if quirk == 0:
        record["job_num_applicants"] = str(record["job_num_applicants"])
    elif quirk == 1:
        record["country_code"] = "None" if record.get("country_code") is None else record["country_code"]
        record["title_id"] = "None" if record.get("title_id") is None else record["title_id"]
    elif quirk == 2:
        record["base_salary"] = repr(record["base_salary"])
    elif quirk == 3:
        record["job_poster"] = repr(record["job_poster"])
    else:
        salary = record["base_salary"]
        if isinstance(salary, dict) and salary.get("min_amount") is not None:
            salary["min_amount"] = f"{salary['min_amount']:.1f}"
            salary["max_amount"] = f"{salary['max_amount']:.1f}"
        else:
            record["job_num_applicants"] = str(record["job_num_applicants"])


def _floor_hour(value: datetime) -> datetime:
    value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value.replace(minute=0, second=0, microsecond=0)


def iter_records(
    n: int,
    seed: int = 0,
    *,
    window_end: datetime | None = None,
    window_s: int = 3600,
    discovery_input: Mapping[str, Any] | None = None,
    discover_by: Literal["url", "keyword"] = "url",
    stream: str = "",
    shape: Shape = "mixed",
    error_rate: float = 0.0,
    quirk_rate: float = 0.0,
    repost_rate: float = 0.15,
    base_salary_rate: float = 0.35,
) -> Iterator[dict[str, Any]]:
    """Stream `n` rows: postings of jobs posted in the `window_s` seconds before `window_end` (default: the
    start of the current UTC hour), scraped just after it. Deterministic for equal arguments."""
    end_hour = _floor_hour(window_end or datetime.now(UTC))
    hour_index = int(end_hour.timestamp() // 3600)
    if discovery_input is None:
        discovery_input = {
            "url": "https://www.linkedin.com/jobs/search/?f_TPR=r3600&geoId=92000000"
            "&keywords=%22data%20engineer%22&sortBy=DD"
        }
    input_key = _input_key(discovery_input)
    stream = stream or input_key
    places, language = _places_for(input_key)
    window_hours = max(1, math.ceil(window_s / 3600))
    for slot in range(n):
        obs = random.Random(seed_int(seed, stream, hour_index, slot, "observation"))
        scraped = end_hour + timedelta(seconds=60 + obs.randrange(900), milliseconds=obs.randrange(1000))
        if error_rate and obs.random() < error_rate:
            yield error_row(
                discovery_input, scraped, code="crawl_failed" if obs.random() < 0.9 else "dead_page"
            )
            continue
        if repost_rate and obs.random() < repost_rate:
            back = (
                1 if obs.random() < 0.5 else obs.randint(2, 24)
            )  # most re-posts are of the last hour's jobs
            origin_hour, origin_slot = hour_index - back, obs.randrange(max(1, min(n, 40)))
        else:
            origin_hour, origin_slot = hour_index, slot
        job_rng = random.Random(seed_int(seed, stream, origin_hour, origin_slot, "job"))
        offset = job_rng.randrange(window_hours * 3600)
        posted = datetime.fromtimestamp(origin_hour * 3600 - offset - 1, UTC) + timedelta(
            milliseconds=job_rng.randrange(1000)
        )
        job = _Job(job_rng, posted, places, language, base_salary_rate)
        yield _observe(job, obs, scraped, discovery_input, discover_by, shape, quirk_rate)


def write_jsonl(fileobj: IO[bytes], n: int, seed: int = 0, **kwargs: Any) -> int:
    """Write `iter_records(n, seed, **kwargs)` as NDJSON; returns bytes written. Memory stays flat."""
    written = 0
    batch: list[str] = []
    for record in iter_records(n, seed, **kwargs):
        batch.append(json.dumps(record, ensure_ascii=False))
        if len(batch) >= 256:
            data = ("\n".join(batch) + "\n").encode()
            fileobj.write(data)
            written += len(data)
            batch.clear()
    if batch:
        data = ("\n".join(batch) + "\n").encode()
        fileobj.write(data)
        written += len(data)
    return written


def default_records_per_input(time_range_s: int | None) -> tuple[int, int]:
    """How many postings one search input yields, by how far back it looks."""
    if time_range_s is None or time_range_s > 604_800:
        return (40, 120)
    if time_range_s > 86_400:
        return (30, 100)
    if time_range_s > 3600:
        return (20, 60)
    return (8, 45)


def input_time_range_s(discovery_input: Mapping[str, Any]) -> int | None:
    if "url" in discovery_input:
        tpr = (parse_qs(urlsplit(str(discovery_input["url"])).query).get("f_TPR") or [""])[0]
        return int(tpr[1:]) if tpr.startswith("r") and tpr[1:].isdigit() else None
    label = str(discovery_input.get("time_range") or "").lower()
    return {"past 24 hours": 86_400, "past week": 604_800, "past month": 2_592_000}.get(label)


def snapshot_plan(
    seed: int,
    inputs: Sequence[Mapping[str, Any]],
    collected_at: datetime,
    *,
    records_per_input: tuple[int, int] | None = None,
    empty_rate: float = 0.06,
) -> list[int]:
    """Postings per input for one collection (0 = the search found nothing: an error row if errors are on)."""
    hour_index = int(_floor_hour(collected_at).timestamp() // 3600)
    counts = []
    for item in inputs:
        rng = random.Random(seed_int(seed, _input_key(item), hour_index, "count"))
        low, high = records_per_input or default_records_per_input(input_time_range_s(item))
        counts.append(0 if (empty_rate and rng.random() < empty_rate) else rng.randint(low, high))
    return counts


def snapshot_records(
    seed: int,
    inputs: Sequence[Mapping[str, Any]],
    discover_by: Literal["url", "keyword"],
    collected_at: datetime,
    *,
    include_errors: bool = True,
    records_per_input: tuple[int, int] | None = None,
    limit_per_input: int | None = None,
    empty_rate: float = 0.06,
    shape: Shape = "mixed",
    quirk_rate: float = 0.0,
    repost_rate: float = 0.15,
) -> Iterator[dict[str, Any]]:
    """The rows of one Bright Data snapshot for `inputs`, collected at `collected_at` (same hour => same rows)."""
    end = _floor_hour(collected_at)
    counts = snapshot_plan(
        seed, inputs, collected_at, records_per_input=records_per_input, empty_rate=empty_rate
    )
    for item, count in zip(inputs, counts, strict=True):
        if limit_per_input is not None:
            count = min(count, limit_per_input)
        if count == 0:
            if include_errors:
                yield error_row(item, end + timedelta(seconds=120))
            continue
        time_range_s = input_time_range_s(item) or 2_592_000
        yield from iter_records(
            count,
            seed,
            window_end=end,
            window_s=time_range_s,
            discovery_input=item,
            discover_by=discover_by,
            shape=shape,
            quirk_rate=quirk_rate,
            repost_rate=repost_rate,
        )
