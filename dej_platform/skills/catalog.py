"""The skills catalog: YAML files under the repo's top-level `skills_catalog/`, validated at load.

One file per family (`<family>.yaml`), plus `_families.yaml` (the valid family keys) and `_sections.yaml` (the
must-have / nice-to-have heading and inline phrases). The catalog version is a content hash of all those files, so
every output row can say exactly which catalog produced it and a catalog change is visible in the data.

Loading is strict: the catalog is refused with every problem listed (duplicate canonicals, an alias claimed by two
skills, an unknown family or parent, a parent cycle, a context rule naming an unknown skill, ...).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CATALOG_ENV_VAR = "DEJ_SKILLS_CATALOG"
FAMILIES_FILE = "_families.yaml"
SECTIONS_FILE = "_sections.yaml"
FAMILY_PREFIX = "family:"

_FORM_ALLOWED = re.compile(r"^[a-z0-9.][a-z0-9 +#./&'_:,-]*[a-z0-9+#]$|^[a-z0-9+#]$")
_CASE_FORM_ALLOWED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 +#./&-]*$")
# A form must not contain a segment boundary (". " etc.): both token streams must see the same boundaries.
_BOUNDARY_INSIDE = re.compile(r"[.;!?]\s|[\n\r\t]|\s{2,}")


class CatalogError(ValueError):
    """The catalog on disk is invalid; `problems` lists every issue found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  - ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"invalid skills catalog ({len(problems)} problem(s)):\n  - {shown}{more}")

    def __reduce__(self) -> tuple[type[CatalogError], tuple[list[str]]]:
        # raised in a worker process, it crosses to the parent pickled: rebuild it from `problems`, not the message
        return CatalogError, (self.problems,)


def normalize_form(text: str) -> str:
    """Lower-case, trimmed, single-spaced: the shape every insensitive alias is stored in."""
    return " ".join(text.strip().lower().split())


def match_key(text: str) -> str:
    """What the matcher compares: like `normalize_form`, and "-"/"_" count as spaces (text gets the same)."""
    return " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


class ContextRuleModel(BaseModel):
    """Ambiguous surface forms of one skill and what must surround them for the mention to count."""

    model_config = ConfigDict(extra="forbid")

    forms: list[str] = Field(default_factory=list, description="ambiguous forms, matched case-insensitively")
    case_forms: list[str] = Field(
        default_factory=list, description="ambiguous forms, matched with exact case"
    )
    near: list[str] = Field(default_factory=list, description="skills or family:<key> that support a form")
    words: list[str] = Field(default_factory=list, description="words/phrases that support a form")
    veto: list[str] = Field(default_factory=list, description="phrases that contain a form and cancel it")

    @field_validator("forms", "words", "veto")
    @classmethod
    def _lower(cls, values: list[str]) -> list[str]:
        return [normalize_form(v) for v in values]

    @field_validator("case_forms")
    @classmethod
    def _strip(cls, values: list[str]) -> list[str]:
        return [" ".join(v.split()) for v in values]


class SkillModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    canonical: str = Field(min_length=1, max_length=80)
    parent: str | None = None
    implies_parent: bool = True
    aliases: list[str] = Field(default_factory=list)
    context: ContextRuleModel | None = None
    plural: bool | None = Field(
        default=None,
        description="add '<form>s' variants: None = only multi-word aliases, True = all, False = none",
    )
    match_canonical: bool = Field(default=True, description="False when the canonical is an ordinary word")

    @field_validator("canonical")
    @classmethod
    def _canonical_clean(cls, value: str) -> str:
        if value != value.strip() or "  " in value:
            raise ValueError("canonical must be trimmed and single-spaced")
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases_lower(cls, values: list[str]) -> list[str]:
        return [normalize_form(v) for v in values]


class FamilyFileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    family: str
    skills: list[SkillModel] = Field(min_length=1)


class FamilyInfoModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str


class FamiliesFileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    families: dict[str, FamilyInfoModel] = Field(min_length=1)


class SectionPhrasesModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nice: list[str] = Field(min_length=1)
    must: list[str] = Field(min_length=1)


class HeadingPatternsModel(SectionPhrasesModel):
    other: list[str] = Field(min_length=1)


class SectionsFileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    headings: HeadingPatternsModel
    inline: SectionPhrasesModel
    non_boundaries: list[str] = Field(default_factory=list)

    @field_validator("non_boundaries")
    @classmethod
    def _lower(cls, values: list[str]) -> list[str]:
        return [normalize_form(v) for v in values]


@dataclass(frozen=True)
class Skill:
    """One canonical skill, ready for matching."""

    canonical: str
    family: str
    parent: str | None
    implies_parent: bool
    aliases: tuple[str, ...]
    forms: tuple[str, ...]
    case_forms: tuple[str, ...]
    near: tuple[str, ...]
    words: tuple[str, ...]
    veto: tuple[str, ...]
    plural: bool | None
    source_file: str

    @property
    def is_ambiguous(self) -> bool:
        return bool(self.forms or self.case_forms)

    @property
    def needs_support(self) -> bool:
        """Ambiguous forms that count only with a supporting skill or word in the same segment."""
        return bool(self.near or self.words)


@dataclass(frozen=True)
class SectionRules:
    heading_nice: tuple[str, ...]
    heading_must: tuple[str, ...]
    heading_other: tuple[str, ...]
    inline_nice: tuple[str, ...]
    inline_must: tuple[str, ...]
    non_boundaries: tuple[str, ...]


@dataclass(frozen=True)
class SkillCatalog:
    """The validated catalog. `version` is a content hash stamped on every detection."""

    skills: Mapping[str, Skill]
    families: Mapping[str, str]
    sections: SectionRules
    version: str
    source_dir: Path

    def ancestors(self, canonical: str) -> tuple[str, ...]:
        """Parents up the chain (nearest first), whether or not they are implied."""
        chain: list[str] = []
        parent = self.skills[canonical].parent
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = self.skills[parent].parent
        return tuple(chain)

    def implied_ancestors(self, canonical: str) -> tuple[str, ...]:
        """Parents that a mention of `canonical` also counts as (stops at the first `implies_parent: false`)."""
        chain: list[str] = []
        skill = self.skills[canonical]
        while skill.parent is not None and skill.implies_parent and skill.parent not in chain:
            chain.append(skill.parent)
            skill = self.skills[skill.parent]
        return tuple(chain)

    def to_records(self) -> list[dict[str, Any]]:
        """Plain records (one per skill) for export."""
        records = []
        for skill in sorted(self.skills.values(), key=lambda s: (s.family, s.canonical.lower())):
            record: dict[str, Any] = {
                "canonical": skill.canonical,
                "family": skill.family,
                "parent": skill.parent,
                "implies_parent": skill.implies_parent,
                "aliases": list(skill.aliases),
            }
            if skill.is_ambiguous:
                record["context"] = {
                    "forms": list(skill.forms),
                    "case_forms": list(skill.case_forms),
                    "near": list(skill.near),
                    "words": list(skill.words),
                    "veto": list(skill.veto),
                }
            records.append(record)
        return records


def catalog_path() -> Path:
    """Where the catalog lives: `$DEJ_SKILLS_CATALOG`, else the repo's (or image's) top-level `skills_catalog/`."""
    override = os.environ.get(CATALOG_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(__file__).resolve().parents[2] / "skills_catalog"


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        # libyaml's loader when pyyaml has it: the catalog is ~30 files and the pure-Python parser takes seconds.
        return yaml.load(
            path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot read YAML: {exc}")
        return None


def _errors(path: Path, exc: ValidationError) -> list[str]:
    return [f"{path.name}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()]


def _content_hash(files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return "sc-" + digest.hexdigest()[:16]


def load_catalog(path: str | Path | None = None) -> SkillCatalog:
    """Read and validate the catalog folder; raise `CatalogError` listing every problem."""
    root = Path(path) if path is not None else catalog_path()
    if not root.is_dir():
        raise CatalogError(
            [f"catalog folder not found: {root} (set {CATALOG_ENV_VAR} to the skills_catalog folder)"]
        )
    problems: list[str] = []
    families_path, sections_path = root / FAMILIES_FILE, root / SECTIONS_FILE
    families: dict[str, str] = {}
    sections: SectionRules | None = None
    for required in (families_path, sections_path):
        if not required.is_file():
            problems.append(f"missing {required.name} in {root}")
    if families_path.is_file():
        raw = _read_yaml(families_path, problems)
        try:
            families = {k: v.title for k, v in FamiliesFileModel.model_validate(raw).families.items()}
        except ValidationError as exc:
            problems.extend(_errors(families_path, exc))
    if sections_path.is_file():
        raw = _read_yaml(sections_path, problems)
        try:
            model = SectionsFileModel.model_validate(raw)
            sections = SectionRules(
                heading_nice=tuple(model.headings.nice),
                heading_must=tuple(model.headings.must),
                heading_other=tuple(model.headings.other),
                inline_nice=tuple(normalize_form(p) for p in model.inline.nice),
                inline_must=tuple(normalize_form(p) for p in model.inline.must),
                non_boundaries=tuple(model.non_boundaries),
            )
            for kind, patterns in (
                ("nice", model.headings.nice),
                ("must", model.headings.must),
                ("other", model.headings.other),
            ):
                for pattern in patterns:
                    try:
                        re.compile(pattern)
                    except re.error as exc:
                        problems.append(f"{SECTIONS_FILE}: heading {kind} pattern {pattern!r}: {exc}")
        except ValidationError as exc:
            problems.extend(_errors(sections_path, exc))

    skill_files = sorted(p for p in root.glob("*.yaml") if not p.name.startswith("_"))
    if not skill_files:
        problems.append(f"no skill files (*.yaml) in {root}")
    models: list[tuple[Path, str, SkillModel]] = []
    for file in skill_files:
        raw = _read_yaml(file, problems)
        if raw is None:
            continue
        try:
            fam_file = FamilyFileModel.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_errors(file, exc))
            continue
        if families and fam_file.family not in families:
            problems.append(f"{file.name}: unknown family {fam_file.family!r} (not in {FAMILIES_FILE})")
        if file.stem != fam_file.family:
            problems.append(f"{file.name}: file name must be <family>.yaml (family is {fam_file.family!r})")
        models.extend((file, fam_file.family, m) for m in fam_file.skills)

    skills: dict[str, Skill] = {}
    seen_lower: dict[str, str] = {}
    for file, family, m in models:
        key = m.canonical.lower()
        if key in seen_lower:
            problems.append(f"{file.name}: duplicate canonical {m.canonical!r} (also in {seen_lower[key]})")
            continue
        seen_lower[key] = file.name
        ctx = m.context or ContextRuleModel()
        ambiguous_lower = set(ctx.forms) | {f.lower() for f in ctx.case_forms}
        aliases = list(dict.fromkeys(m.aliases))
        canonical_form = normalize_form(m.canonical)
        if m.match_canonical and canonical_form not in ambiguous_lower and canonical_form not in aliases:
            aliases.insert(0, canonical_form)
        skills[m.canonical] = Skill(
            canonical=m.canonical,
            family=family,
            parent=m.parent,
            implies_parent=m.implies_parent,
            aliases=tuple(a for a in aliases if a not in ambiguous_lower),
            forms=tuple(dict.fromkeys(ctx.forms)),
            case_forms=tuple(dict.fromkeys(ctx.case_forms)),
            near=tuple(dict.fromkeys(ctx.near)),
            words=tuple(dict.fromkeys(ctx.words)),
            veto=tuple(dict.fromkeys(ctx.veto)),
            plural=m.plural,
            source_file=file.name,
        )
    problems.extend(_check_skills(skills, families))
    if problems or sections is None:
        raise CatalogError(problems or ["sections file invalid"])
    return SkillCatalog(
        skills=skills,
        families=families,
        sections=sections,
        version=_content_hash([families_path, sections_path, *skill_files]),
        source_dir=root,
    )


def _check_skills(skills: Mapping[str, Skill], families: Mapping[str, str]) -> list[str]:
    problems: list[str] = []
    owner: dict[str, str] = {}  # insensitive surface form -> canonical
    case_owner: dict[str, str] = {}
    for skill in skills.values():
        where = f"{skill.source_file}: {skill.canonical!r}"
        if not skill.aliases and not skill.is_ambiguous:
            problems.append(f"{where}: no way to match it (no aliases and no context forms)")
        for form in (*skill.aliases, *skill.forms):
            if not _FORM_ALLOWED.match(form) or _BOUNDARY_INSIDE.search(form):
                problems.append(f"{where}: form {form!r} has characters the matcher cannot use")
            other = owner.get(match_key(form))
            if other is not None and other != skill.canonical:
                problems.append(f"{where}: alias {form!r} is also claimed by {other!r}")
            owner[match_key(form)] = skill.canonical
        for form in skill.case_forms:
            if not _CASE_FORM_ALLOWED.match(form):
                problems.append(f"{where}: case form {form!r} has characters the matcher cannot use")
            other = case_owner.get(form)
            if other is not None and other != skill.canonical:
                problems.append(f"{where}: case form {form!r} is also claimed by {other!r}")
            case_owner[form] = skill.canonical
        if skill.parent is not None:
            if skill.parent not in skills:
                problems.append(f"{where}: unknown parent {skill.parent!r}")
            elif skill.parent == skill.canonical:
                problems.append(f"{where}: is its own parent")
        if not skill.is_ambiguous and (skill.near or skill.words):
            problems.append(f"{where}: context near/words given but no ambiguous forms")
        for ref in skill.near:
            if ref.startswith(FAMILY_PREFIX):
                if ref[len(FAMILY_PREFIX) :] not in families:
                    problems.append(f"{where}: near references unknown family {ref!r}")
            elif ref not in skills:
                problems.append(f"{where}: near references unknown skill {ref!r}")
        matchable = [*skill.aliases, *skill.forms, *(f.lower() for f in skill.case_forms)]
        for phrase in skill.veto:
            if not any(re.search(rf"(?<![a-z0-9_]){re.escape(f)}(?![a-z0-9_])", phrase) for f in matchable):
                problems.append(f"{where}: veto {phrase!r} contains none of its forms")
            if _BOUNDARY_INSIDE.search(phrase):
                problems.append(f"{where}: veto {phrase!r} contains a sentence boundary")
    for skill in skills.values():
        for phrase in skill.veto:
            if match_key(phrase) in owner:
                problems.append(
                    f"{skill.source_file}: {skill.canonical!r}: veto {phrase!r} is an alias of "
                    f"{owner[match_key(phrase)]!r} (the alias already wins; drop the veto)"
                )
        for form in skill.case_forms:
            if match_key(form) in owner:
                problems.append(
                    f"{skill.source_file}: {skill.canonical!r}: case form {form!r} is also an insensitive alias "
                    f"of {owner[match_key(form)]!r}"
                )
    # parent cycles
    for skill in skills.values():
        seen = {skill.canonical}
        parent = skill.parent
        while parent is not None and parent in skills:
            if parent in seen:
                problems.append(f"{skill.source_file}: {skill.canonical!r}: parent cycle through {parent!r}")
                break
            seen.add(parent)
            parent = skills[parent].parent
    return problems


@cache
def default_catalog() -> SkillCatalog:
    """The catalog at `catalog_path()`, loaded once per process."""
    return load_catalog()
