"""Skill detection throughput on generated ~4 KB job descriptions, and the ratio to the seed's per-skill loop.

    python bench/bench_skills.py [--docs 20000] [--runs 3] [--seed-docs 50] [--threads 2] [--out bench/results/skills.json]

The descriptions come from our own seeded generator (sections, bullets, prose, popular and random catalog skills,
ambiguous words used as plain English). The seed loop is re-implemented from SEED_FACTS section 4.4: per row, lower-case
`title + " " + text`, then `re.search(r"\\b" + re.escape(term) + r"\\b")` for every term of every skill, one by one.
It runs on a smaller subset in the same process; the reported ratio compares docs/s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dej_platform.skills.catalog import SkillCatalog
from dej_platform.skills.detector import SkillDetector, default_detector

POPULAR = [
    "Python", "SQL", "Spark", "PySpark", "AWS", "Azure", "GCP", "Snowflake", "Databricks", "Airflow", "dbt", "Kafka",
    "Docker", "Kubernetes", "Terraform", "Scala", "Java", "Redshift", "BigQuery", "S3", "AWS Glue", "Tableau",
    "Power BI", "Git", "CI/CD", "Delta Lake", "Iceberg", "Flink", "PostgreSQL", "MongoDB", "data modeling", "ETL",
    "ELT", "data quality", "data governance", "Agile", "Looker", "Fivetran", "Airbyte", "Great Expectations", "C#",
    "C++", ".NET", "Node.js", "Go", "R", "Excel", "LLMs", "RAG", "LangChain", "vector databases", "MLflow",
]  # fmt: skip
PROSE_TEXT = (
    "we are building a modern data platform that powers analytics and product decisions across the company . "
    "you will partner with analysts scientists and software engineers to deliver reliable well tested pipelines . "
    "our team values ownership curiosity and clear written communication and we ship small changes often . "
    "you will go above and beyond to help customers and you will excel in a fast paced environment . "
    "the glue between teams is shared context and we are the delta between good and great . "
    "we comply with all applicable laws and our benefits include health insurance and a learning budget . "
    "this role sits in our research and development group and reports to the head of data . "
    "in a nutshell you will spark ideas and bring unity to a fragmented data landscape in hybrid mode ."
)
PROSE = PROSE_TEXT.split()
HEADINGS_MUST = ["Requirements", "What you'll need", "Qualifications:", "Minimum Qualifications", "About you"]
HEADINGS_NICE = ["Nice to have", "Preferred Qualifications", "Bonus points", "Nice-to-have:"]
HEADINGS_OTHER = ["About the role", "Responsibilities", "What you'll do", "Benefits", "About us"]
TITLES = ["Data Engineer", "Senior Data Engineer", "Analytics Engineer", "Staff Data Engineer (Python/Spark)",
          "Data Platform Engineer", "ML Engineer", "Big Data Engineer - AWS"]  # fmt: skip


def _sentence(rng: random.Random, words: int) -> str:
    start = rng.randrange(0, len(PROSE) - words)
    text = " ".join(PROSE[start : start + words]).replace(" .", ".")
    return text[:1].upper() + text[1:]


def generate_descriptions(n: int, catalog: SkillCatalog, seed: int = 7, size: int = 4000) -> list[str]:
    """Seeded, realistic-looking descriptions of about `size` characters."""
    rng = random.Random(seed)
    aliases = sorted({a for s in catalog.skills.values() for a in s.aliases if len(a) > 3})

    def skill() -> str:
        return rng.choice(POPULAR) if rng.random() < 0.75 else rng.choice(aliases)

    docs = []
    for _ in range(n):
        lines = [rng.choice(HEADINGS_OTHER), _sentence(rng, 40), _sentence(rng, 30), ""]
        lines.append(rng.choice(HEADINGS_OTHER[1:3]))
        lines += [
            f"- Build and operate pipelines with {skill()} and {skill()}." for _ in range(rng.randint(4, 7))
        ]
        lines += ["", rng.choice(HEADINGS_MUST)]
        lines += [
            f"- {rng.randint(2, 8)}+ years of experience with {skill()}, {skill()} or {skill()}"
            for _ in range(rng.randint(5, 8))
        ]
        lines += ["", rng.choice(HEADINGS_NICE)]
        lines += [f"- Experience with {skill()} is a plus" for _ in range(rng.randint(2, 5))]
        lines += ["", rng.choice(HEADINGS_OTHER[3:]), _sentence(rng, 45)]
        text = "\n".join(lines)
        while len(text) < size:
            text += "\n" + _sentence(rng, rng.randint(20, 50))
        docs.append(text[: size + 200])
    return docs


def seed_loop(titles: list[str], texts: list[str], catalog: SkillCatalog) -> list[list[str]]:
    """The seed's matcher (SEED_FACTS 4.4), on our catalog: one regex per term per row, recompiled per row."""
    terms = [(s.canonical, [s.canonical.lower(), *s.aliases, *s.forms]) for s in catalog.skills.values()]
    out = []
    for title, text in zip(titles, texts, strict=True):
        haystack = f"{title} {text}".lower()
        found = set()
        for canonical, variants in terms:
            for term in variants:
                term = term.strip().lower()
                if term and re.search(r"\b" + re.escape(term) + r"\b", haystack):
                    found.add(canonical)
        out.append(sorted(found))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000, help="descriptions for the vectorized detector")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (median reported)")
    parser.add_argument("--seed-docs", type=int, default=50, help="descriptions for the seed loop")
    parser.add_argument("--threads", type=int, default=2, help="detector worker threads (2 cores)")
    parser.add_argument("--chunk-rows", type=int, default=2048)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "skills.json"))
    parser.add_argument("--full", action="store_true", help="bigger run: 50,000 docs, 200 seed-loop docs")
    args, _unknown = parser.parse_known_args(argv)  # run_all.py passes shared flags to every benchmark
    if args.full:
        args.docs, args.seed_docs = max(args.docs, 50_000), max(args.seed_docs, 200)

    base = default_detector()
    detector = SkillDetector(base.catalog, chunk_rows=args.chunk_rows, threads=args.threads)
    t0 = time.perf_counter()
    docs = generate_descriptions(args.docs, detector.catalog)
    titles = [TITLES[i % len(TITLES)] for i in range(len(docs))]
    gen_s = time.perf_counter() - t0
    frame = pl.DataFrame({"job_description_text": docs, "job_title": titles})
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

    detector.detect_frame(frame.head(200), "job_description_text", "job_title")  # warm-up
    times = []
    result = None
    for _ in range(args.runs):
        start = time.perf_counter()
        result = detector.detect_frame(frame, "job_description_text", "job_title")
        times.append(time.perf_counter() - start)
    assert result is not None
    median_s = statistics.median(times)
    docs_per_s = len(docs) / median_s

    subset = min(args.seed_docs, len(docs))
    start = time.perf_counter()
    seed_out = seed_loop(titles[:subset], docs[:subset], detector.catalog)
    seed_s = time.perf_counter() - start
    seed_docs_per_s = subset / seed_s
    ours = result["skills"].head(subset).to_list()
    agree = sum(set(a) == set(b) for a, b in zip(ours, seed_out, strict=True)) / subset

    summary = {
        "benchmark": "skills",
        "docs": len(docs),
        "avg_doc_chars": round(sum(map(len, docs)) / len(docs)),
        "catalog_version": detector.version,
        "catalog_skills": len(detector.catalog.skills),
        "literals": detector.spec.literal_count,
        "threads": args.threads,
        "chunk_rows": args.chunk_rows,
        "runs_s": [round(t, 3) for t in times],
        "median_s": round(median_s, 3),
        "docs_per_s": round(docs_per_s),
        "target_docs_per_s": 50_000,
        "skills_per_doc_mean": round(float(result["skills"].list.len().mean() or 0.0), 2),  # type: ignore[arg-type]
        "seed_loop_docs": subset,
        "seed_loop_docs_per_s": round(seed_docs_per_s, 1),
        "speedup_vs_seed_loop": round(docs_per_s / seed_docs_per_s, 1),
        "seed_loop_exact_agreement": round(agree, 3),
        "generate_s": round(gen_s, 2),
        "load_avg_1m_before": load_before,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "polars": pl.__version__,
        "note": "measured on a 2-core machine shared with other jobs: numbers are pessimistic",
    }
    summary["summary"] = [
        {"metric": "detection throughput (2 threads)", "value": summary["docs_per_s"], "unit": "docs/s",
         "target": 50_000, "met": docs_per_s >= 50_000},
        {"metric": "speed-up vs seed per-skill regex loop", "value": summary["speedup_vs_seed_loop"], "unit": "x",
         "target": None, "met": None},
        {"metric": "catalog size", "value": summary["catalog_skills"], "unit": "skills", "target": 500,
         "met": summary["catalog_skills"] >= 500},
    ]  # fmt: skip
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(
        f"skills: {summary['docs_per_s']:,} docs/s (median of {args.runs}, {len(docs):,} docs of "
        f"~{summary['avg_doc_chars']} chars, {args.threads} threads, {summary['catalog_skills']} skills); "
        f"seed loop {summary['seed_loop_docs_per_s']} docs/s -> x{summary['speedup_vs_seed_loop']}; "
        f"load before {load_before}; wrote {out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
