"""Versioned prompt templates (`pass{N}.{version}.md`) and the builder that fills them.

Each template has front matter (`pass`, `version`), a `## system` and a `## user` section, and `{{name}}`
placeholders. Later passes get the earlier results as compact `name=value` facts rendered from the validated
models, never pasted JSON, and a fact list that is too long loses whole entries, never half of one.
The prompt version is part of the enrichment cache key: editing a template means adding a new version file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel

from dej_platform.enrichment.job import JobInput, condense_posting, job_header
from dej_platform.enrichment.models import (
    Inferred,
    Pass1Extraction,
    Pass2Inference,
    Pass3Analysis,
    Pass3Summary,
    annotation_kind,
)
from dej_platform.enrichment.schemas import answer_schema
from dej_platform.enrichment.tokens import estimate_message_tokens

DEFAULT_PROMPT_VERSION = "v1"
# Token budgets for the posting text in each pass (estimator tokens). Pass 1 needs every stated fact; passes 2
# and 3 re-read the posting for signals the facts do not carry, so they get the lines richest in those signals.
POSTING_BUDGETS = {1: 1_700, 2: 600, 3: 420}
FACTS_BUDGET = 280
INFERENCES_BUDGET = 220
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# Verbatim quotes are in the posting already; repeating them in later passes only costs tokens.
_FACT_SKIP = re.compile(r"_text(_raw)?$")


@dataclass(frozen=True)
class PromptTemplate:
    pass_number: int
    version: str
    system: str
    user: str


@dataclass(frozen=True)
class Prompt:
    """Everything a provider needs for one call, plus what the budget and cache need to know about it."""

    pass_number: int
    version: str
    system: str
    user: str
    schema: dict[str, Any]
    estimated_input_tokens: int


def available_versions(pass_number: int) -> list[str]:
    names = [
        p.name for p in resources.files(__package__).iterdir() if p.name.startswith(f"pass{pass_number}.")
    ]
    return sorted(n.split(".")[1] for n in names if n.endswith(".md"))


@cache
def load_template(pass_number: int, version: str = DEFAULT_PROMPT_VERSION) -> PromptTemplate:
    name = f"pass{pass_number}.{version}.md"
    path = resources.files(__package__) / name
    if not path.is_file():
        raise FileNotFoundError(f"no prompt template {name}; available: {available_versions(pass_number)}")
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    if not match:
        raise ValueError(f"{name}: missing front matter")
    meta = dict(line.split(":", 1) for line in match.group(1).splitlines() if ":" in line)
    meta = {k.strip(): v.strip() for k, v in meta.items()}
    if meta.get("pass") != str(pass_number) or meta.get("version") != version:
        raise ValueError(f"{name}: front matter says pass={meta.get('pass')} version={meta.get('version')}")
    sections = re.split(r"^## (system|user)\s*$", match.group(2), flags=re.M)
    parts = dict(zip(sections[1::2], (s.strip("\n") for s in sections[2::2]), strict=True))
    if set(parts) != {"system", "user"}:
        raise ValueError(f"{name}: needs exactly a '## system' and a '## user' section")
    return PromptTemplate(pass_number, version, parts["system"], parts["user"])


def _fill(template: str, values: dict[str, str]) -> str:
    missing = sorted(set(_PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise KeyError(f"prompt placeholders without a value: {missing}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


# -- field specs: what the model may answer, rendered from the models --------------------------------------------
def _spec_of(annotation: Any) -> str:
    if "TeamComposition" in str(annotation):
        return "{team_size,de_count,seniority_mix: text}"
    kind, allowed = annotation_kind(annotation)
    shown = "|".join(v for v in allowed if v != "not_mentioned")
    if kind == "enum":
        return shown
    if kind == "list":
        return f"[{shown}]" if shown else "[text]"
    return {"bool": "bool", "number": "number", "string": "text"}[kind]


def _value_annotation(model: type[BaseModel], name: str) -> Any:
    annotation = model.model_fields[name].annotation
    if isinstance(annotation, type) and issubclass(annotation, Inferred):
        return annotation.model_fields["value"].annotation
    return annotation


def field_spec(model: type[BaseModel]) -> str:
    """`name: spec` lines; consecutive fields with the same spec share a line (`salary_min, salary_max: number`)."""
    lines: list[tuple[list[str], str]] = []
    for name in model.model_fields:
        spec = _spec_of(_value_annotation(model, name))
        if lines and lines[-1][1] == spec:
            lines[-1][0].append(name)
        else:
            lines.append(([name], spec))
    return "\n".join(f"{', '.join(names)}: {spec}" for names, spec in lines)


@cache
def field_spec_for_pass(pass_number: int) -> str:
    if pass_number == 1:
        return "Fields:\n" + field_spec(Pass1Extraction)
    if pass_number == 2:
        return "Fields:\n" + field_spec(Pass2Inference)
    return "Fields:\n" + field_spec(Pass3Analysis) + "\nsummary fields:\n" + field_spec(Pass3Summary)


# -- compact facts from earlier passes -----------------------------------------------------------------------------
def _is_empty(value: Any) -> bool:
    return value in (None, False, [], "", "not_mentioned")


def _show(value: Any, max_items: int = 12) -> str:
    if isinstance(value, list):
        items = [str(v) for v in value]
        more = f" (+{len(items) - max_items} more)" if len(items) > max_items else ""
        return ", ".join(items[:max_items]) + more
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, BaseModel):
        return ", ".join(f"{k} {v}" for k, v in value.model_dump().items() if v)
    return str(value)


def _fit(entries: list[str], budget: int, sep: str = "\n") -> str:
    """Keep whole entries in order until the budget is spent; say how many were left out."""
    kept: list[str] = []
    spent = 0
    for entry in entries:
        cost = estimate_message_tokens(entry) - 3
        if spent + cost > budget:
            kept.append(f"(+{len(entries) - len(kept)} more facts left out)")
            break
        kept.append(entry)
        spent += cost
    return sep.join(kept) if kept else "(none)"


def pass1_facts(result: Pass1Extraction, budget: int = FACTS_BUDGET) -> str:
    """Stated facts as `name=value` entries (defaults and verbatim quotes left out), skills first."""
    first = (
        "must_have_hard_skills",
        "nice_to_have_hard_skills",
        "years_experience_min",
        "years_experience_max",
    )
    names = [*first, *(n for n in Pass1Extraction.model_fields if n not in first)]
    entries = [
        f"{name}={_show(getattr(result, name))}"
        for name in names
        if not _FACT_SKIP.search(name) and not _is_empty(getattr(result, name))
    ]
    return _fit(entries, budget)


def inference_facts(result: BaseModel, budget: int = INFERENCES_BUDGET) -> str:
    """Judgements as `name=value (confidence)` entries, most confident first; unknown ones left out."""
    items = [
        (name, item)
        for name in type(result).model_fields
        if isinstance(item := getattr(result, name), Inferred) and not _is_empty(item.value)
    ]
    items.sort(key=lambda pair: -pair[1].confidence)
    return _fit(
        [f"{name}={_show(item.value)} ({item.confidence:.1f})" for name, item in items], budget, sep="; "
    )


# -- the builder -----------------------------------------------------------------------------------------------
def build_prompt(
    pass_number: int,
    job: JobInput,
    previous: dict[int, BaseModel] | None = None,
    version: str = DEFAULT_PROMPT_VERSION,
) -> Prompt:
    """The prompt for one pass of one job. Passes 2 and 3 need the validated results of the passes before."""
    previous = previous or {}
    for needed in range(1, pass_number):
        if needed not in previous:
            raise ValueError(f"pass {pass_number} needs the result of pass {needed}")
    template = load_template(pass_number, version)
    values = {
        "field_spec": field_spec_for_pass(pass_number),
        "job_header": job_header(job),
        "job_text": condense_posting(job.job_description_text, POSTING_BUDGETS[pass_number], pass_number),
    }
    if pass_number >= 2:
        p1 = previous[1]
        assert isinstance(p1, Pass1Extraction)
        values["facts"] = pass1_facts(p1)
    if pass_number == 3:
        values["inferences"] = inference_facts(previous[2])
    system = _fill(template.system, values)
    user = _fill(template.user, values)
    return Prompt(
        pass_number=pass_number,
        version=version,
        system=system,
        user=user,
        schema=answer_schema(pass_number),
        estimated_input_tokens=estimate_message_tokens(system, user),
    )


def repair_message(errors: list[str]) -> str:
    """The one follow-up an invalid answer gets: what was wrong, and the same output rules."""
    listed = "\n".join(f"- {e}" for e in errors)
    return (
        "Your answer does not match the required fields:\n"
        f"{listed}\n"
        "Send the corrected JSON object only, using allowed values; leave out fields you cannot fill."
    )
