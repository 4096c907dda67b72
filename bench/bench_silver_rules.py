"""Throughput of the silver per-record rules (html_to_text, salary, location, vocabularies) on generated input.

Run: python bench/bench_silver_rules.py [--records 5000] [--repeat 3] [--batch-records 20000];
writes bench/results/silver_rules.json. The batch section runs the column functions (html_to_text_batch,
parse_salary_batch, parse_location_batch, normalize_*_batch) on emulator postings (median of --repeat) and
reports wall and CPU seconds; the machine is shared, so CPU-seconds per posting is the stable figure.
Inputs are generated here (LinkedIn-shaped HTML of ~4 KB, salary mentions in a share of them, location strings
from a small pool), so the numbers are per single core, best of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dej_platform.silver.html_text import clean_text, html_to_text
from dej_platform.silver.location import parse_location
from dej_platform.silver.salary import parse_salary
from dej_platform.silver.vocabularies import (
    normalize_employment_type,
    normalize_posting_id,
    normalize_seniority,
    parse_bool,
    parse_utc_timestamp,
)

WORDS = (  # noqa: SIM905
    "data pipelines spark kafka airflow dbt snowflake python sql lakehouse team build own design scale "
    "reliable streaming batch quality governance cloud aws azure gcp modeling warehouse analytics"
).split()
SALARIES = [
    "The base salary range for this role is $120,000 - $150,000 per year.",
    "Salary: €60.000–€75.000 brutto jährlich.",
    "Pay Range: $63 - $73/hour.",
    "CTC: 25-30 lakhs per annum.",
    "Compensation: £45k to £55k plus bonus.",
]
LOCATIONS = [
    "Detroit, MI",
    "Hyderabad, Telangana, India",
    "United States",
    "São Paulo, São Paulo, Brazil",
    "London Area, United Kingdom",
    "New York, NY (Hybrid)",
    "Tel Aviv District, Israel",
    "Remote",
    "Berlin, Berlin, Germany",
    "Toronto, ON",
]


def sentence(rng: random.Random, words: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def description_html(rng: random.Random) -> str:
    parts = ['<section class="show-more-less-html"><div class="show-more-less-html__markup">']
    while sum(map(len, parts)) < 4000:
        parts.append(sentence(rng) + " We&#x2019;re hiring &amp; growing.<br><br>")
        parts.append("<strong>Requirements</strong><ul>")
        parts.extend(f"<li>{sentence(rng, 8)}</li>" for _ in range(5))
        parts.append("</ul>")
    if rng.random() < 0.4:
        parts.append(f"<p>{rng.choice(SALARIES)}</p>")
    parts.append('</div><button class="show-more-less-html__button">Show more</button></section>')
    return "".join(parts)


def measure(name: str, func: Callable[[Any], Any], inputs: list[Any], repeat: int) -> dict[str, float]:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for item in inputs:
            func(item)
        best = min(best, time.perf_counter() - started)
    rate = len(inputs) / best if best > 0 else float("inf")
    print(f"{name:<28} {rate:>12,.0f} records/s  ({best * 1e6 / len(inputs):8.1f} us/record)")
    return {"records": len(inputs), "seconds": round(best, 4), "records_per_s": round(rate, 1)}


def measure_batch(records: int, repeat: int, seed: int) -> dict[str, Any]:
    """All batch rules together on emulator postings (LinkedIn-shaped HTML), median of `repeat` runs."""
    import polars as pl

    from dej_platform.bronze.emulator.generator import iter_records
    from dej_platform.silver.html_text import clean_text_batch, html_to_text_batch
    from dej_platform.silver.location import parse_location_batch
    from dej_platform.silver.records import _salary
    from dej_platform.silver.salary import parse_salary_batch
    from dej_platform.silver.vocabularies import normalize_employment_type_batch, normalize_seniority_batch

    load_before = [round(v, 2) for v in os.getloadavg()]
    rows = list(iter_records(records, seed, quirk_rate=0.2))
    html = pl.Series([r.get("job_description_formatted") or r.get("job_description_html") for r in rows])
    bases = pl.Series([_salary(r.get("base_salary")) for r in rows], dtype=pl.Object)
    columns = {
        key: pl.Series([r.get(key) for r in rows], dtype=pl.String)
        for key in ("job_base_pay_range", "job_location", "country_code", "job_title", "job_summary")
    }
    labels = pl.Series([r.get("job_seniority_level") for r in rows], dtype=pl.String)
    employment = pl.Series([r.get("job_employment_type") for r in rows], dtype=pl.String)
    stages: dict[str, list[tuple[float, float]]] = {
        "html": [],
        "summary": [],
        "salary": [],
        "location": [],
        "vocab": [],
    }
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        text = html_to_text_batch(html)
        stages["html"].append((time.perf_counter() - wall, time.process_time() - cpu))
        wall, cpu = time.perf_counter(), time.process_time()
        clean_text_batch(columns["job_summary"])
        stages["summary"].append((time.perf_counter() - wall, time.process_time() - cpu))
        wall, cpu = time.perf_counter(), time.process_time()
        parse_salary_batch(bases, columns["job_base_pay_range"], text, columns["country_code"])
        stages["salary"].append((time.perf_counter() - wall, time.process_time() - cpu))
        wall, cpu = time.perf_counter(), time.process_time()
        parse_location_batch(columns["job_location"], columns["country_code"], columns["job_title"], text)
        stages["location"].append((time.perf_counter() - wall, time.process_time() - cpu))
        wall, cpu = time.perf_counter(), time.process_time()
        normalize_seniority_batch(labels)
        normalize_employment_type_batch(employment)
        stages["vocab"].append((time.perf_counter() - wall, time.process_time() - cpu))
    out: dict[str, Any] = {
        "records": records,
        "avg_html_chars": int(html.str.len_chars().mean() or 0),
        "load_average_before": load_before,
        "cpu_count": os.cpu_count(),
        "polars_threads": pl.thread_pool_size(),
    }
    total_wall = total_cpu = 0.0
    for name, runs in stages.items():
        wall_s = statistics.median(r[0] for r in runs)
        cpu_s = statistics.median(r[1] for r in runs)
        total_wall += wall_s
        total_cpu += cpu_s
        out[name] = {
            "wall_s": round(wall_s, 3),
            "cpu_s": round(cpu_s, 3),
            "postings_per_s": round(records / wall_s),
        }
        print(f"batch {name:<22} {records / wall_s:>12,.0f} postings/s  (cpu {cpu_s:.2f} s)")
    out["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    out["all_rules"] = {
        "wall_s": round(total_wall, 3),
        "cpu_s": round(total_cpu, 3),
        "postings_per_s": round(records / total_wall),
        "cpu_us_per_posting": round(total_cpu * 1e6 / records, 1),
        "cpu_over_wall": round(total_cpu / total_wall, 2),
        "postings_per_s_if_cpu_bound_on_2_cores": round(records / (total_cpu / 2)),
    }
    print(f"batch {'all rules together':<22} {records / total_wall:>12,.0f} postings/s")
    return out


def summary_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Throughput rows plus the stable CPU figure; 40k postings/s on 2 cores means <= 50 us CPU per posting."""
    batch = results["batch"]
    rows: list[tuple[str, Any, str, float | None, bool]] = [
        (
            "per_record_all_rules_postings_per_s_one_core",
            results["all_rules_records_per_s_one_core"],
            "postings/s",
            None,
            True,
        ),
        ("batch_html_to_text_postings_per_s", batch["html"]["postings_per_s"], "postings/s", None, True),
        (
            "batch_clean_text_summary_postings_per_s",
            batch["summary"]["postings_per_s"],
            "postings/s",
            None,
            True,
        ),
        ("batch_salary_postings_per_s", batch["salary"]["postings_per_s"], "postings/s", None, True),
        ("batch_location_postings_per_s", batch["location"]["postings_per_s"], "postings/s", None, True),
        ("batch_all_rules_postings_per_s", batch["all_rules"]["postings_per_s"], "postings/s", 40_000, True),
        (
            "batch_all_rules_postings_per_s_if_cpu_bound_on_2_cores",
            batch["all_rules"]["postings_per_s_if_cpu_bound_on_2_cores"],
            "postings/s",
            40_000,
            True,
        ),
        ("batch_all_rules_cpu_us_per_posting", batch["all_rules"]["cpu_us_per_posting"], "us", 50.0, False),
        ("batch_all_rules_cpu_over_wall", batch["all_rules"]["cpu_over_wall"], "ratio", None, True),
        ("load_average_1m_during_batch", batch["load_average_after"][0], "load", None, True),
    ]
    return [
        {
            "metric": metric,
            "value": value,
            "unit": unit,
            "target": target,
            "met": None if target is None else bool(value >= target if higher_is_better else value <= target),
        }
        for metric, value, unit, target, higher_is_better in rows
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", default="bench/results/silver_rules.json")
    parser.add_argument("--batch-records", type=int, default=20000, help="0 skips the batch section")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    htmls = [description_html(rng) for _ in range(args.records)]
    texts = [html_to_text(html) for html in htmls]
    titles = [
        rng.choice(["Data Engineer", "Remote Data Engineer", "Senior Data Engineer (Hybrid)"]) for _ in htmls
    ]
    records = [
        {
            "base_salary": {"min_amount": None, "max_amount": None, "currency": None, "payment_period": None}
            if rng.random() < 0.8
            else {"min_amount": 100000, "max_amount": 150000, "currency": "$", "payment_period": "yr"},
            "text": text,
            "location": rng.choice(LOCATIONS),
            "title": title,
        }
        for text, title in zip(texts, titles, strict=True)
    ]
    results: dict[str, Any] = {"records": args.records, "avg_html_chars": sum(map(len, htmls)) // len(htmls)}
    results["html_to_text"] = measure("html_to_text", html_to_text, htmls, args.repeat)
    results["clean_text"] = measure(
        "clean_text", clean_text, [t[:600] + " Show more Show less" for t in texts], args.repeat
    )
    results["parse_salary"] = measure(
        "parse_salary (description)",
        lambda r: parse_salary(r["base_salary"], None, r["text"]),
        records,
        args.repeat,
    )
    results["parse_location"] = measure(
        "parse_location (+title,text)",
        lambda r: parse_location(r["location"], None, r["title"], r["text"]),
        records,
        args.repeat,
    )
    scalars = [
        ("4348380694.0", "True", "Mid-Senior level", "Full-time", "2025-12-10T18:53:07.798Z")
    ] * args.records
    results["scalars"] = measure(
        "id+bool+enums+timestamp",
        lambda s: (
            normalize_posting_id(s[0]),
            parse_bool(s[1]),
            normalize_seniority(s[2]),
            normalize_employment_type(s[3]),
            parse_utc_timestamp(s[4]),
        ),
        scalars,
        args.repeat,
    )
    per_record_us = sum(
        1e6 / results[k]["records_per_s"]
        for k in ("html_to_text", "parse_salary", "parse_location", "scalars")
    )
    results["all_rules_us_per_record"] = round(per_record_us, 1)
    results["all_rules_records_per_s_one_core"] = round(1e6 / per_record_us, 1)
    print(f"{'all rules together':<28} {1e6 / per_record_us:>12,.0f} records/s on one core")
    if args.batch_records:
        results["batch"] = measure_batch(args.batch_records, args.repeat, args.seed)
        results["summary"] = summary_rows(results)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
