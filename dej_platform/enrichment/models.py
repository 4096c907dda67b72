"""The three enrichment passes as pydantic models: strict enums, ranges and cross-field rules.

Pass 1 holds facts the posting states (no confidence). Passes 2 and 3 hold judgements, each an `Inferred` value with
confidence, a short evidence quote and its source. Every answer a model gives is validated against these models; an
off-list enum value is an error (the seed never validated passes 2 and 3 and leaked values such as
`sub_specialty="lakehouse"`), not data.

The field groups follow the seed's nesting (`compensation`, `work_authorization`, ...) through `json_schema_extra`
so docs and the registry can show them, while the models themselves are flat: the table columns are flat too.
"""

from __future__ import annotations

import re
from typing import Any, Generic, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# -- pass 1 enums ------------------------------------------------------------------------------------------------
SalaryPeriod = Literal["yearly", "monthly", "hourly"]
VisaSponsorship = Literal["will_sponsor", "will_not_sponsor", "must_be_authorized", "not_mentioned"]
SecurityClearance = Literal["required", "preferred", "not_mentioned"]
WorkModel = Literal["remote", "hybrid", "onsite", "not_mentioned"]
EmploymentType = Literal["full_time", "contract", "internship", "part_time", "not_mentioned"]
ContractType = Literal[
    "permanent", "fixed_term", "contract_to_hire", "project_based", "seasonal", "not_mentioned"
]
ExtensionPossible = Literal["yes", "likely", "no", "not_mentioned"]
ConversionToFte = Literal["yes_guaranteed", "yes_possible", "no", "not_mentioned"]
StartDate = Literal[
    "immediate", "within_2_weeks", "within_month", "flexible", "specific_date", "not_mentioned"
]
PayType = Literal["salary", "hourly", "daily", "weekly", "monthly", "project_fixed", "not_mentioned"]
RateNegotiable = Literal["yes", "doe", "fixed", "not_mentioned"]
OvertimePaid = Literal["yes", "no", "exempt", "not_mentioned"]
EducationLevel = Literal["PHD", "MASTERS", "BACHELORS", "ASSOCIATES", "HIGH_SCHOOL", "BOOTCAMP"]
EducationArea = Literal[
    "Computer Science",
    "Computer Engineering",
    "Software Engineering",
    "Data Science",
    "Information Technology",
    "Electrical Engineering",
    "Mathematics/Statistics",
    "Physics",
    "Engineering",
    "Business",
]
EducationRequirement = Literal["required", "preferred", "or_equivalent", "not_mentioned"]
GeoRestriction = Literal[
    "us_only",
    "eu_only",
    "uk_only",
    "latam_only",
    "apac_only",
    "specific_countries",
    "global",
    "not_mentioned",
]
Residency = Literal["must_be_resident", "willing_to_relocate", "no_requirement", "not_mentioned"]
PtoPolicy = Literal["unlimited", "generous", "standard", "limited", "not_mentioned"]
SoftSkill = Literal[
    "Communication",
    "Problem Solving",
    "Team Collaboration",
    "Leadership",
    "Analytical Skills",
    "Attention to Detail",
    "Continuous Learning",
    "Time Management",
    "Adaptability",
    "Initiative",
    "Critical Thinking",
    "Organization",
    "Customer Focus",
    "Decision Making",
    "Mentoring",
    "Presentation Skills",
    "Creativity",
    "Work Ethic",
    "Self-Motivation",
    "Stress Management",
    "Conflict Resolution",
    "Empathy",
]

# -- pass 2 enums ------------------------------------------------------------------------------------------------
SeniorityLevel = Literal[
    "intern", "entry", "associate", "junior", "mid", "senior", "staff", "principal", "distinguished",
    "not_mentioned",
]  # fmt: skip
JobFamily = Literal[
    "data_engineer", "analytics_engineer", "ml_engineer", "mlops_engineer", "data_platform_engineer",
    "data_architect", "data_scientist", "data_analyst", "bi_engineer", "research_engineer", "not_mentioned",
]  # fmt: skip
SubSpecialty = Literal[
    "streaming_realtime", "batch_etl", "data_warehouse", "data_lakehouse", "ml_infra", "mlops",
    "data_governance", "data_quality", "data_modeling", "cloud_migration", "reverse_etl", "api_development",
    "observability", "general", "not_mentioned",
]  # fmt: skip
LeadershipExpectation = Literal[
    "ic", "tech_lead_ic", "architect", "people_manager", "tech_and_people_lead", "not_mentioned"
]
PrimaryCloud = Literal["aws", "azure", "gcp", "multi", "on_prem", "not_mentioned"]
CloudName = Literal["aws", "azure", "gcp", "oracle_cloud", "ibm_cloud", "alibaba_cloud", "other"]
ProcessingParadigm = Literal["streaming", "batch", "hybrid", "not_mentioned"]
OrchestratorCategory = Literal[
    "airflow_like", "spark_native", "dbt_core", "cloud_native", "dagster_prefect", "not_mentioned"
]
StorageLayer = Literal["warehouse", "lake", "lakehouse", "mixed", "not_mentioned"]
RemoteRestriction = Literal["same_country", "same_timezone", "same_region", "anywhere", "not_mentioned"]
TimezoneFocus = Literal["americas", "europe", "apac", "global", "specific_country", "not_mentioned"]
CitizenshipRequired = Literal["work_auth_only", "us_citizen_only", "us_or_gc", "any", "not_mentioned"]
W2vs1099 = Literal["w2", "c2c", "1099", "any", "not_mentioned"]
BenefitsLevel = Literal["comprehensive", "standard", "basic", "none_mentioned", "not_mentioned"]
GrowthPathClarity = Literal["explicit", "implied", "vague", "not_mentioned"]
MentorshipSignals = Literal["explicit_yes", "implied", "not_mentioned"]
CareerTrack = Literal["ic_track", "management_track", "specialist_track", "architect_track"]
RequirementStrictness = Literal["low", "medium", "high", "not_mentioned"]
ScopeDefinition = Literal["clear", "vague", "multi_role", "not_mentioned"]
Source = Literal["explicit", "pass1_derived", "inferred", "combined"]

# -- pass 3 enums ------------------------------------------------------------------------------------------------
DataMaturityLevel = Literal["ad_hoc", "developing", "defined", "managed", "optimizing", "not_mentioned"]
MaturitySignal = Literal[
    "modern_data_stack_adoption", "cicd_practices", "data_quality_testing", "monitoring_observability",
    "data_governance", "data_mesh_patterns", "mlops_practices", "cloud_native",
]  # fmt: skip
RoleClarity = Literal["clear", "vague", "multi_role", "not_mentioned"]
ReportingStructureClarity = Literal["clear", "mentioned", "vague", "not_mentioned"]
ManagerLevel = Literal["director_plus", "senior_manager", "manager", "tech_lead", "not_mentioned"]
TeamGrowthVelocity = Literal["rapid_expansion", "steady_growth", "stable", "unknown", "not_mentioned"]
ReportingStructure = Literal[
    "reports_to_cto", "reports_to_director_data", "reports_to_manager", "reports_to_tech_lead",
    "matrix_reporting", "not_mentioned",
]  # fmt: skip
TechCultureSignal = Literal[
    "open_source", "internal_oss", "tech_blogs", "conference_speaking", "hackathons", "innovation_time"
]
DevPractice = Literal[
    "code_review", "pair_programming", "tdd", "ci_cd", "monitoring", "incident_response", "postmortems",
    "design_docs", "rfc_process",
]  # fmt: skip
InnovationSignals = Literal["high", "medium", "low", "not_mentioned"]
AiIntegrationLevel = Literal["none", "basic_ml", "advanced_ml", "mlops", "genai_focus", "not_mentioned"]
HiringUrgency = Literal["immediate", "asap", "normal", "pipeline", "not_mentioned"]
CompetitionLevel = Literal["low", "medium", "high", "very_high", "not_mentioned"]
CompanyStage = Literal[
    "startup_seed", "startup_series_a_b", "growth_stage", "established_tech", "enterprise", "not_mentioned"
]
HiringVelocity = Literal["aggressive", "steady", "replacement", "first_hire", "not_mentioned"]
TeamSizeSignals = Literal[
    "solo", "small_2_5", "medium_6_15", "large_16_50", "very_large_50_plus", "not_mentioned"
]
FundingStage = Literal[
    "bootstrapped", "seed", "series_a", "series_b_plus", "public", "profitable", "not_mentioned"
]
RoleCreationType = Literal["new_headcount", "backfill", "team_expansion", "new_function", "not_mentioned"]

# -- pass 3 summary vocabularies (v3.4 categories) -------------------------------------------------------------
StrengthCategory = Literal[
    "competitive_compensation", "transparent_salary", "equity_offered", "modern_tech_stack", "cloud_native",
    "remote_friendly", "hybrid_work", "flexible_schedule", "career_growth_clear", "learning_opportunities",
    "clear_requirements", "well_defined_role", "strong_benefits", "work_life_balance", "collaborative_culture",
    "diverse_team", "data_focused_role", "established_company", "startup_energy", "visa_sponsorship",
]  # fmt: skip
ConcernCategory = Literal[
    "vague_requirements", "unclear_responsibilities", "salary_not_disclosed", "below_market_pay",
    "no_visa_sponsorship", "citizenship_required", "on_call_expected", "overtime_likely", "scope_creep_risk",
    "jack_of_all_trades", "legacy_technology", "tech_debt_heavy", "high_turnover_signals", "backfill_role",
    "unclear_reporting", "travel_required", "relocation_required", "limited_growth", "startup_risk",
    "contract_short_term",
]  # fmt: skip
BestFitCategory = Literal[
    "senior_data_engineers", "mid_level_engineers", "junior_engineers", "cloud_specialists",
    "platform_architects", "pipeline_developers", "analytics_engineers", "ml_engineers", "data_generalists",
    "startup_enthusiasts", "enterprise_experienced", "remote_workers", "career_changers", "leadership_track",
    "technical_specialists",
]  # fmt: skip
ProbeCategory = Literal[
    "team_size_composition", "reporting_structure", "tech_stack_details", "on_call_expectations",
    "work_hour_expectations", "remote_policy_details", "career_growth_path", "salary_range_details",
    "visa_sponsorship_details", "role_scope_boundaries", "tech_debt_situation", "team_turnover_history",
    "company_financials", "project_timeline", "success_metrics",
]  # fmt: skip
LeverageCategory = Literal[
    "rare_skill_match", "exact_experience_match", "exceeds_requirements", "multiple_competing_offers",
    "high_market_demand", "domain_expertise", "leadership_experience", "quick_availability", "local_candidate",
    "referral_connection",
]  # fmt: skip

_ISO2 = re.compile(r"^[A-Z]{2}$")
_COUNTRY_ALIASES = {"UK": "GB", "USA": "US", "U.S.": "US", "UNITED STATES": "US", "UNITED KINGDOM": "GB"}
_MATURITY_BY_SCORE = {1: "ad_hoc", 2: "developing", 3: "defined", 4: "managed", 5: "optimizing"}


def enum_values(annotation: Any) -> tuple[str, ...]:
    """The allowed literals of a `Literal[...]` (or `Literal[...] | None`) annotation, `()` for anything else."""
    values: list[str] = []
    for arg in get_args(annotation) or ():
        if isinstance(arg, str):
            values.append(arg)
        elif get_args(arg):
            values.extend(v for v in get_args(arg) if isinstance(v, str))
    return tuple(values)


FieldKind = Literal["enum", "bool", "number", "string", "list"]


def annotation_kind(annotation: Any) -> tuple[FieldKind, tuple[str, ...]]:
    """What a field holds, as the table and the consensus see it: (kind, allowed values for enums and lists)."""
    args = tuple(a for a in get_args(annotation) if a is not type(None))
    origin = getattr(annotation, "__origin__", None)
    if origin is list:
        return "list", enum_values(args[0]) if args else ()
    if origin is Literal:
        return "enum", enum_values(annotation)
    if args and len(args) == 1 and annotation is not args[0]:  # X | None
        return annotation_kind(args[0])
    if annotation is bool:
        return "bool", ()
    if annotation in (int, float):
        return "number", ()
    return "string", ()


_SENTINEL_WORDS = frozenset({"null", "none", "n/a", "na", "", "unknown", "not_mentioned", "not mentioned"})


def normalize_answer_value(annotation: Any, value: Any) -> Any:
    """Forgive drift that does not change the answer; leave real errors for validation to report.

    Case and separators in enum words ("Full-Time"), sentinel strings in number/bool fields
    (`data_maturity_score: "not_mentioned"`), `["not_mentioned"]` inside arrays, "$120,000" as a number.
    Off-list enum words are left alone so validation rejects them.
    """
    kind, allowed = annotation_kind(annotation)
    if kind == "list":
        return _clean_list(value, allowed=allowed)
    if isinstance(value, str):
        text = " ".join(value.split())
        if kind == "enum":
            if text.lower() in _SENTINEL_WORDS:
                return "not_mentioned" if "not_mentioned" in allowed else None
            return _match_allowed(text, allowed)
        if text.lower() in _SENTINEL_WORDS:
            return None
        if kind == "number":
            return _number(text)
        if kind == "bool":
            lowered = text.lower()
            return {"true": True, "yes": True, "false": False, "no": False}.get(lowered, value)
        return text
    if value is None and kind == "enum" and "not_mentioned" in allowed:
        return "not_mentioned"
    if value is None and kind == "bool" and annotation is bool:
        return False
    return value


def _group(name: str, **kwargs: Any) -> Any:
    extra = kwargs.pop("json_schema_extra", {})
    return Field(json_schema_extra={"group": name, **extra}, **kwargs)


def _canon(text: str) -> str:
    return re.sub(r"[\s\-_/]+", "_", text.strip().lower())


def _match_allowed(text: str, allowed: tuple[str, ...]) -> str:
    """`"Full-Time"` -> `"full_time"`, `"bachelors"` -> `"BACHELORS"`; an off-list word comes back unchanged."""
    if text in allowed:
        return text
    by_canon = {_canon(v): v for v in allowed}
    return by_canon.get(_canon(text), text)


def _clean_list(value: Any, *, allowed: tuple[str, ...] = ()) -> Any:
    """Lists lose empty entries, duplicates and the `not_mentioned` sentinel the seed let into arrays."""
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(r"[,;]", value)
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for item in value:
        if isinstance(item, str):
            item = " ".join(item.split())
            if item.lower() in _SENTINEL_WORDS:
                continue
            if allowed:
                item = _match_allowed(item, allowed)
        if item not in out:
            out.append(item)
    return out


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_default=True)


Text = str | None  # verbatim quote; length caps are set per field
SkillList = list[str]


class Pass1Extraction(StrictModel):
    """Facts the posting states explicitly. Null / `not_mentioned` / false / [] when it does not say."""

    # compensation
    salary_disclosed: bool = _group("compensation", default=False)
    salary_min: float | None = _group("compensation", default=None, ge=0, le=10_000_000)
    salary_max: float | None = _group("compensation", default=None, ge=0, le=10_000_000)
    salary_currency: str | None = _group("compensation", default=None, pattern=r"^[A-Z]{3}$")
    salary_period: SalaryPeriod | None = _group("compensation", default=None)
    salary_text_raw: Text = _group("compensation", default=None, max_length=300)
    hourly_rate_min: float | None = _group("compensation", default=None, ge=0, le=10_000)
    hourly_rate_max: float | None = _group("compensation", default=None, ge=0, le=10_000)
    hourly_rate_currency: str | None = _group("compensation", default=None, pattern=r"^[A-Z]{3}$")
    hourly_rate_text_raw: Text = _group("compensation", default=None, max_length=300)
    # work_authorization
    visa_sponsorship_stated: VisaSponsorship = _group("work_authorization", default="not_mentioned")
    work_auth_text: Text = _group("work_authorization", default=None, max_length=400)
    citizenship_text: Text = _group("work_authorization", default=None, max_length=400)
    security_clearance_stated: SecurityClearance = _group("work_authorization", default="not_mentioned")
    # work_model
    work_model_stated: WorkModel = _group("work_model", default="not_mentioned")
    location_restriction_text: Text = _group("work_model", default=None, max_length=400)
    employment_type_stated: EmploymentType = _group("work_model", default="not_mentioned")
    # contract_details
    contract_type: ContractType = _group("contract_details", default="not_mentioned")
    contract_duration_months: float | None = _group("contract_details", default=None, ge=0, le=120)
    contract_duration_text: Text = _group("contract_details", default=None, max_length=300)
    extension_possible: ExtensionPossible = _group("contract_details", default="not_mentioned")
    conversion_to_fte: ConversionToFte = _group("contract_details", default="not_mentioned")
    start_date: StartDate = _group("contract_details", default="not_mentioned")
    start_date_text: Text = _group("contract_details", default=None, max_length=300)
    probation_period_text: Text = _group("contract_details", default=None, max_length=300)
    # contractor_rates
    pay_type: PayType = _group("contractor_rates", default="not_mentioned")
    daily_rate_min: float | None = _group("contractor_rates", default=None, ge=0, le=100_000)
    daily_rate_max: float | None = _group("contractor_rates", default=None, ge=0, le=100_000)
    daily_rate_currency: str | None = _group("contractor_rates", default=None, pattern=r"^[A-Z]{3}$")
    daily_rate_text_raw: Text = _group("contractor_rates", default=None, max_length=300)
    rate_negotiable: RateNegotiable = _group("contractor_rates", default="not_mentioned")
    overtime_paid: OvertimePaid = _group("contractor_rates", default="not_mentioned")
    # skills_classified
    must_have_hard_skills: SkillList = _group("skills_classified", default_factory=list, max_length=60)
    nice_to_have_hard_skills: SkillList = _group("skills_classified", default_factory=list, max_length=60)
    must_have_soft_skills: list[SoftSkill] = _group("skills_classified", default_factory=list)
    nice_to_have_soft_skills: list[SoftSkill] = _group("skills_classified", default_factory=list)
    certifications_mentioned: SkillList = _group("skills_classified", default_factory=list, max_length=30)
    years_experience_min: float | None = _group("skills_classified", default=None, ge=0, le=50)
    years_experience_max: float | None = _group("skills_classified", default=None, ge=0, le=50)
    years_experience_text: Text = _group("skills_classified", default=None, max_length=300)
    education_level: EducationLevel | None = _group("skills_classified", default=None)
    education_area: EducationArea | None = _group("skills_classified", default=None)
    education_requirement: EducationRequirement = _group("skills_classified", default="not_mentioned")
    education_text_raw: Text = _group("skills_classified", default=None, max_length=400)
    llm_genai_mentioned: bool = _group("skills_classified", default=False)
    feature_store_mentioned: bool = _group("skills_classified", default=False)
    # geographic_restrictions
    geo_restriction_type: GeoRestriction = _group("geographic_restrictions", default="not_mentioned")
    allowed_countries: list[str] = _group("geographic_restrictions", default_factory=list, max_length=60)
    excluded_countries: list[str] = _group("geographic_restrictions", default_factory=list, max_length=60)
    us_state_restrictions: list[str] = _group("geographic_restrictions", default_factory=list, max_length=60)
    residency_requirement: Residency = _group("geographic_restrictions", default="not_mentioned")
    # benefits_structured
    benefits_mentioned: SkillList = _group("benefits_structured", default_factory=list, max_length=40)
    equity_mentioned: bool = _group("benefits_structured", default=False)
    learning_budget_mentioned: bool = _group("benefits_structured", default=False)
    conference_budget_mentioned: bool = _group("benefits_structured", default=False)
    hardware_choice_mentioned: bool = _group("benefits_structured", default=False)
    pto_policy: PtoPolicy = _group("benefits_structured", default="not_mentioned")
    # context
    team_info_text: Text = _group("context", default=None, max_length=600)
    company_description_text: Text = _group("context", default=None, max_length=600)

    @field_validator("*", mode="before")
    @classmethod
    def _drift(cls, value: Any, info: Any) -> Any:
        return normalize_answer_value(cls.model_fields[info.field_name].annotation, value)

    @field_validator("salary_currency", "hourly_rate_currency", "daily_rate_currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> Any:
        if isinstance(value, str):
            symbols = {
                "$": "USD",
                "US$": "USD",
                "€": "EUR",
                "£": "GBP",
                "R$": "BRL",
                "C$": "CAD",
                "A$": "AUD",
            }
            text = value.strip()
            return symbols.get(text, text.upper()) or None
        return value

    @field_validator("allowed_countries", "excluded_countries", mode="after")
    @classmethod
    def _iso_countries(cls, value: list[str]) -> list[str]:
        out = []
        for item in value:
            code = _COUNTRY_ALIASES.get(item.upper(), item.upper())
            if not _ISO2.match(code):
                raise ValueError(f"{item!r} is not an ISO 3166 alpha-2 country code")
            if code not in out:
                out.append(code)
        return out

    @field_validator("us_state_restrictions", mode="after")
    @classmethod
    def _states(cls, value: list[str]) -> list[str]:
        out = [item.upper() for item in value]
        bad = [item for item in out if not _ISO2.match(item)]
        if bad:
            raise ValueError(f"state codes must be two letters, got {bad}")
        return list(dict.fromkeys(out))

    @model_validator(mode="after")
    def _cross_field(self) -> Pass1Extraction:
        for low, high in (
            ("salary_min", "salary_max"),
            ("hourly_rate_min", "hourly_rate_max"),
            ("daily_rate_min", "daily_rate_max"),
            ("years_experience_min", "years_experience_max"),
        ):
            lo, hi = getattr(self, low), getattr(self, high)
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"{low} ({lo:g}) must not exceed {high} ({hi:g})")
        if (self.salary_min is not None or self.salary_max is not None) and not self.salary_disclosed:
            raise ValueError("salary_min/salary_max are set but salary_disclosed is false")
        if self.salary_period is not None and self.salary_min is None and self.salary_max is None:
            raise ValueError("salary_period is set but no salary_min/salary_max")
        overlap = set(self.must_have_soft_skills) & set(self.nice_to_have_soft_skills)
        if overlap:
            raise ValueError(f"soft skills listed as both must-have and nice-to-have: {sorted(overlap)}")
        return self


def _number(value: str) -> float | str:
    """`"$105,000"` -> 105000.0; `"120k"` -> 120000.0; anything else is left for pydantic to reject."""
    text = value.strip().replace(",", "")
    text = re.sub(r"^[^\d\-.]+", "", text)
    match = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*([kK])?", text)
    if not match:
        return value
    number = float(match.group(1))
    return number * 1000 if match.group(2) else number


T = TypeVar("T")


class Inferred(StrictModel, Generic[T]):
    """A judgement with how sure the model is, the words it rests on, and where it came from."""

    value: T
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: str | None = Field(default=None, max_length=300)
    source: Source | None = None


class InferenceModel(StrictModel):
    """Shared rules of passes 2 and 3: a guess below 0.5 confidence is not an answer (the seed's own scale)."""

    @model_validator(mode="after")
    def _demote_low_confidence(self) -> InferenceModel:
        for name, info in type(self).model_fields.items():
            item = getattr(self, name)
            if not isinstance(item, Inferred) or item.confidence >= 0.5:
                continue
            allowed = enum_values(info.annotation.model_fields["value"].annotation)  # type: ignore[union-attr]
            if "not_mentioned" in allowed:
                item.value = "not_mentioned"
            elif isinstance(item.value, list):
                item.value = []
            else:
                item.value = None
        return self


def _inf(group: str, unknown: Any) -> Any:
    """Default for an inferred field nobody answered: unknown value, zero confidence."""
    return _group(group, default_factory=lambda: {"value": unknown, "confidence": 0.0})


class Pass2Inference(InferenceModel):
    """Normalised classifications inferred from the posting and the pass-1 facts."""

    # seniority_and_role
    seniority_level: Inferred[SeniorityLevel] = _inf("seniority_and_role", "not_mentioned")
    job_family: Inferred[JobFamily] = _inf("seniority_and_role", "not_mentioned")
    sub_specialty: Inferred[SubSpecialty] = _inf("seniority_and_role", "not_mentioned")
    leadership_expectation: Inferred[LeadershipExpectation] = _inf("seniority_and_role", "not_mentioned")
    # stack_and_cloud
    primary_cloud: Inferred[PrimaryCloud] = _inf("stack_and_cloud", "not_mentioned")
    secondary_clouds: Inferred[list[CloudName]] = _inf("stack_and_cloud", [])
    processing_paradigm: Inferred[ProcessingParadigm] = _inf("stack_and_cloud", "not_mentioned")
    orchestrator_category: Inferred[OrchestratorCategory] = _inf("stack_and_cloud", "not_mentioned")
    storage_layer: Inferred[StorageLayer] = _inf("stack_and_cloud", "not_mentioned")
    # geo_and_work_model
    remote_restriction: Inferred[RemoteRestriction] = _inf("geo_and_work_model", "not_mentioned")
    timezone_focus: Inferred[TimezoneFocus] = _inf("geo_and_work_model", "not_mentioned")
    relocation_required: Inferred[bool | None] = _inf("geo_and_work_model", None)
    # visa_and_authorization
    h1b_friendly: Inferred[bool | None] = _inf("visa_and_authorization", None)
    opt_cpt_friendly: Inferred[bool | None] = _inf("visa_and_authorization", None)
    citizenship_required: Inferred[CitizenshipRequired] = _inf("visa_and_authorization", "not_mentioned")
    # contract_and_compensation
    w2_vs_1099: Inferred[W2vs1099] = _inf("contract_and_compensation", "not_mentioned")
    benefits_level: Inferred[BenefitsLevel] = _inf("contract_and_compensation", "not_mentioned")
    # career_development
    growth_path_clarity: Inferred[GrowthPathClarity] = _inf("career_development", "not_mentioned")
    mentorship_signals: Inferred[MentorshipSignals] = _inf("career_development", "not_mentioned")
    promotion_path_mentioned: Inferred[bool | None] = _inf("career_development", None)
    internal_mobility_mentioned: Inferred[bool | None] = _inf("career_development", None)
    career_tracks_available: Inferred[list[CareerTrack]] = _inf("career_development", [])
    # requirements_classification
    requirement_strictness: Inferred[RequirementStrictness] = _inf(
        "requirements_classification", "not_mentioned"
    )
    scope_definition: Inferred[ScopeDefinition] = _inf("requirements_classification", "not_mentioned")
    skill_inflation_detected: Inferred[bool | None] = _inf("requirements_classification", None)


class TeamComposition(StrictModel):
    team_size: str | None = Field(default=None, max_length=80)
    de_count: str | None = Field(default=None, max_length=80)
    seniority_mix: str | None = Field(default=None, max_length=120)


class Pass3Analysis(InferenceModel):
    """Career-advisor judgements: maturity, red flags, culture, AI focus, timing, company context."""

    # company_maturity
    data_maturity_score: Inferred[int | None] = _inf("company_maturity", None)
    data_maturity_level: Inferred[DataMaturityLevel] = _inf("company_maturity", "not_mentioned")
    maturity_signals: Inferred[list[MaturitySignal]] = _inf("company_maturity", [])
    # red_flags_and_role_quality
    scope_creep_score: Inferred[float | None] = _inf("red_flags_and_role_quality", None)
    overtime_risk_score: Inferred[float | None] = _inf("red_flags_and_role_quality", None)
    role_clarity: Inferred[RoleClarity] = _inf("red_flags_and_role_quality", "not_mentioned")
    overall_red_flag_score: Inferred[float | None] = _inf("red_flags_and_role_quality", None)
    # stakeholders_and_leadership
    reporting_structure_clarity: Inferred[ReportingStructureClarity] = _inf(
        "stakeholders_and_leadership", "not_mentioned"
    )
    manager_level_inferred: Inferred[ManagerLevel] = _inf("stakeholders_and_leadership", "not_mentioned")
    team_growth_velocity: Inferred[TeamGrowthVelocity] = _inf("stakeholders_and_leadership", "not_mentioned")
    team_composition: Inferred[TeamComposition | None] = _inf("stakeholders_and_leadership", None)
    reporting_structure: Inferred[ReportingStructure] = _inf("stakeholders_and_leadership", "not_mentioned")
    cross_functional_embedded: Inferred[bool | None] = _inf("stakeholders_and_leadership", None)
    # tech_culture
    work_life_balance_score: Inferred[float | None] = _inf("tech_culture", None)
    growth_opportunities_score: Inferred[float | None] = _inf("tech_culture", None)
    tech_culture_score: Inferred[float | None] = _inf("tech_culture", None)
    # tech_culture_assessment
    tech_culture_signals: Inferred[list[TechCultureSignal]] = _inf("tech_culture_assessment", [])
    dev_practices_mentioned: Inferred[list[DevPractice]] = _inf("tech_culture_assessment", [])
    innovation_signals: Inferred[InnovationSignals] = _inf("tech_culture_assessment", "not_mentioned")
    tech_debt_awareness: Inferred[bool | None] = _inf("tech_culture_assessment", None)
    # ai_ml_integration
    ai_integration_level: Inferred[AiIntegrationLevel] = _inf("ai_ml_integration", "not_mentioned")
    ml_tools_expected: Inferred[list[str]] = _inf("ai_ml_integration", [])
    # competition_and_timing
    hiring_urgency: Inferred[HiringUrgency] = _inf("competition_and_timing", "not_mentioned")
    competition_level: Inferred[CompetitionLevel] = _inf("competition_and_timing", "not_mentioned")
    # company_context
    company_stage_inferred: Inferred[CompanyStage] = _inf("company_context", "not_mentioned")
    hiring_velocity: Inferred[HiringVelocity] = _inf("company_context", "not_mentioned")
    team_size_signals: Inferred[TeamSizeSignals] = _inf("company_context", "not_mentioned")
    funding_stage_signals: Inferred[FundingStage] = _inf("company_context", "not_mentioned")
    role_creation_type: Inferred[RoleCreationType] = _inf("company_context", "not_mentioned")

    @model_validator(mode="after")
    def _scores(self) -> Pass3Analysis:
        score = self.data_maturity_score.value
        if score is not None and not 1 <= score <= 5:
            raise ValueError(f"data_maturity_score must be 1..5, got {score}")
        level = self.data_maturity_level.value
        if score is not None and level != "not_mentioned" and _MATURITY_BY_SCORE[score] != level:
            raise ValueError(
                f"data_maturity_level {level!r} contradicts data_maturity_score {score} "
                f"(score {score} is {_MATURITY_BY_SCORE[score]!r})"
            )
        for name in (
            "scope_creep_score",
            "overtime_risk_score",
            "overall_red_flag_score",
            "work_life_balance_score",
            "growth_opportunities_score",
            "tech_culture_score",
        ):
            value = getattr(self, name).value
            if value is not None and not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        return self


class Pass3Summary(StrictModel):
    """The v3.4 summary: controlled categories (comparable across models) plus short details."""

    strength_categories: list[StrengthCategory] = Field(default_factory=list, max_length=5)
    concern_categories: list[ConcernCategory] = Field(default_factory=list, max_length=4)
    best_fit_categories: list[BestFitCategory] = Field(default_factory=list, max_length=4)
    probe_categories: list[ProbeCategory] = Field(default_factory=list, max_length=5)
    leverage_categories: list[LeverageCategory] = Field(default_factory=list, max_length=3)
    strength_details: list[str] = Field(default_factory=list, max_length=5)
    concern_details: list[str] = Field(default_factory=list, max_length=4)
    best_fit_details: list[str] = Field(default_factory=list, max_length=4)
    probe_details: list[str] = Field(default_factory=list, max_length=5)
    leverage_details: list[str] = Field(default_factory=list, max_length=3)
    overall_assessment: str | None = Field(default=None, max_length=800)
    recommendation_score: float | None = Field(default=None, ge=0.0, le=1.0)
    recommendation_confidence: float | None = Field(default=None, ge=0.0, le=1.0)

    @field_validator("*", mode="before")
    @classmethod
    def _lists(cls, value: Any, info: Any) -> Any:
        if info.field_name.endswith("_categories"):
            return _clean_list(
                value, allowed=enum_values(get_args(cls.model_fields[info.field_name].annotation)[0])
            )
        if info.field_name.endswith("_details"):
            cleaned = _clean_list(value)
            return [item[:240] for item in cleaned] if isinstance(cleaned, list) else cleaned
        return value


class Pass3Result(StrictModel):
    """Pass 3 as stored: the analysis fields and the summary."""

    analysis: Pass3Analysis = Field(default_factory=Pass3Analysis)
    summary: Pass3Summary = Field(default_factory=Pass3Summary)


PassModel = Pass1Extraction | Pass2Inference | Pass3Result
PASS_MODELS: dict[int, type[BaseModel]] = {1: Pass1Extraction, 2: Pass2Inference, 3: Pass3Result}
PASS_NUMBERS = (1, 2, 3)
