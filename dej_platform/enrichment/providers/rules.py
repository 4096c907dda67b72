"""`rules`: a deterministic, offline, free provider for what text rules can read from a posting.

It claims: salary (through the silver salary parser), visa, citizenship and clearance statements, work model,
employment and contract type, contract duration, years of experience, education, benefits, GenAI and feature-store
mentions, and the judgements that follow directly from those (H-1B friendliness, W-2/C2C, benefits level,
competition from the applicant count, seniority and job family from the title). Everything else is answered
`not_mentioned` / null with confidence 0. Its answers go through the same validation as a model's, so it is also
a baseline "model" in the consensus evaluation.
"""

from __future__ import annotations

import re
from typing import Any

from dej_platform.enrichment.models import Pass1Extraction, Pass2Inference
from dej_platform.enrichment.providers.base import PassRequest, ProviderAnswer

RULES_MODEL_ID = "rules-v1"
_I = re.IGNORECASE

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+")

VISA_REFUSED = re.compile(
    r"\b(not|unable to|cannot|can ?not|can't|won't|will not|do not|does not|don't|doesn't|no)\b[\w\s/,()-]{0,40}?"
    r"\bsponsor(ship|ing)?\b|\bsponsorship (is |are )?not (available|offered|provided|possible)\b|"
    r"\bwithout (the need for |requiring |needing )?(current or future )?(visa |employer )?sponsorship\b|"
    r"\bno (visa )?sponsorship\b",
    _I,
)
VISA_OFFERED = re.compile(
    r"\b(will|can|able to|happy to|willing to|glad to|do|does)\s+(provide |offer )?(visa |h-?1b )?sponsor(ship)?\b|"
    r"\b(visa|h-?1b) sponsorship (is )?(available|provided|offered)\b|\bsponsorship (is )?(available|offered|provided)\b",
    _I,
)
WORK_AUTH = re.compile(
    r"\b(must|should|need to|required to) (be|have)\b[\w\s]{0,25}?\b(authori[sz]ed|eligible|the right|authori[sz]ation) "
    r"to work\b|\bwork authori[sz]ation (is )?required\b|\blegally authori[sz]ed to work\b",
    _I,
)
CITIZENSHIP = re.compile(
    r"\b(u\.?s\.? |united states )?citizen(s|ship)? (only|is required|required)\b|\bmust be a (u\.?s\.? )?citizen\b|"
    r"\b(u\.?s\.?|united states) citizenship\b|\bgreen card holders?\b|\bpermanent residents?\b",
    _I,
)
CLEARANCE = re.compile(
    r"\b(active |current )?(secret|top secret|ts/sci|ts|public trust|security|dod) clearance\b|\bTS/SCI\b", _I
)
OPTIONAL = re.compile(r"\b(preferred|a plus|nice to have|desired|bonus|ideally|advantageous)\b", _I)

HYBRID = re.compile(r"\bhybrid\b", _I)
NOT_REMOTE = re.compile(r"\b(not|no) (a )?remote\b|\bremote work is not\b", _I)
REMOTE = re.compile(
    r"\b(fully|100%|completely) remote\b|\bremote[- ](first|position|role|job|opportunity|work|friendly)\b|"
    r"\bwork (from|at) home\b|\bwork remotely\b|\(remote\)|\bremote\b(?! sensing)",
    _I,
)
ONSITE = re.compile(r"\bon-?site\b|\bin[- ]office\b|\bin the office\b|\bin-person\b", _I)

INTERNSHIP = re.compile(r"\bintern(ship)?\b", _I)
CONTRACT = re.compile(r"\bcontract(or)?\b|\bC2C\b|\bcorp[- ]to[- ]corp\b|\b1099\b", _I)
FULL_TIME = re.compile(r"\bfull[- ]?time\b|\bFTE\b", _I)
PART_TIME = re.compile(r"\bpart[- ]?time\b", _I)
CONTRACT_TO_HIRE = re.compile(
    r"\bcontract[- ]to[- ]hire\b|\bC2H\b|\btemp[- ]to[- ]perm\b|\bright[- ]to[- ]hire\b", _I
)
FIXED_TERM = re.compile(r"\bfixed[- ]term\b", _I)
PROJECT = re.compile(r"\bproject[- ]based\b", _I)
SEASONAL = re.compile(r"\bseasonal\b", _I)
PERMANENT = re.compile(r"\bpermanent\b", _I)
DURATION = re.compile(r"\b(\d{1,2})\s*(?:-|to|–)?\s*(?:\d{1,2}\s*)?[- ]?(months?|mos?|years?|yrs?)\b", _I)
EXTENSION = re.compile(
    r"\b(possib(le|ility of)|potential|likely) (for )?(an )?extension\b|\bextendable\b", _I
)

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15,
}  # fmt: skip
_NUM = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
YEARS_RANGE = re.compile(_NUM + r"\s*(?:\+\s*)?(?:-|–|to)\s*" + _NUM + r"\+?\s*(?:years?|yrs?)", _I)
YEARS_PLUS = re.compile(
    r"(?:" + _NUM + r"\s*\+\s*(?:years?|yrs?)|" + _NUM + r"\s*(?:years?|yrs?)\s*(?:\+|or more))", _I
)
YEARS_MIN = re.compile(r"\b(?:at least|minimum of|min\.?|a minimum of)\s+" + _NUM + r"\s*(?:years?|yrs?)", _I)
YEARS_EXACT = re.compile(r"\b" + _NUM + r"\s*(?:years?|yrs?)\b", _I)

EDUCATION_LEVELS = (  # lowest first: the minimum acceptable level wins
    ("HIGH_SCHOOL", re.compile(r"\bhigh school\b|\bGED\b", _I)),
    ("BOOTCAMP", re.compile(r"\bboot ?camp\b", _I)),
    ("ASSOCIATES", re.compile(r"\bassociate'?s? degree\b", _I)),
    # Words in any case; the abbreviations (BS, MS) only in capitals so "ms" or "ba" in prose do not count.
    (
        "BACHELORS",
        re.compile(
            r"(?i:\bbachelor'?s?\b|\bundergraduate degree\b|\b4-year degree\b)|\bB\.?S\.?c?\b|\bB\.?A\.?\b"
        ),
    ),
    ("MASTERS", re.compile(r"(?i:\bmaster'?s?\b(?! data))|\bM\.?S\.?c?\b(?! (office|excel|sql))|\bMBA\b")),
    ("PHD", re.compile(r"\bph\.?d\.?\b|\bdoctora(te|l)\b", _I)),
)
DEGREE_CONTEXT = re.compile(
    r"degree|bachelor|master|ph\.?d|doctora|diploma|high school|\bB\.?S\b|\bM\.?S\b|education", _I
)
EDUCATION_AREAS = (
    ("Computer Science", re.compile(r"(?i:computer science)|\bCS\b")),
    ("Computer Engineering", re.compile(r"computer engineering", _I)),
    ("Software Engineering", re.compile(r"software engineering", _I)),
    ("Data Science", re.compile(r"data science", _I)),
    ("Information Technology", re.compile(r"information (technology|systems)", _I)),
    ("Electrical Engineering", re.compile(r"electrical engineering", _I)),
    ("Mathematics/Statistics", re.compile(r"mathematics|statistics|\bmath\b", _I)),
    ("Physics", re.compile(r"\bphysics\b", _I)),
    ("Business", re.compile(r"\bbusiness\b", _I)),
    ("Engineering", re.compile(r"\bengineering\b", _I)),
)
OR_EQUIVALENT = re.compile(
    r"or equivalent|equivalent (practical |work )?experience|or related experience", _I
)

BENEFITS = (
    ("health insurance", re.compile(r"\b(health|medical) (insurance|coverage|benefits|plan)\b|\bmedical\b", _I)),
    ("dental", re.compile(r"\bdental\b", _I)),
    ("vision", re.compile(r"\bvision\b", _I)),
    ("401(k)", re.compile(r"\b401\s*\(?k\)?", _I)),
    ("pension", re.compile(r"\bpension\b|\bretirement plan\b", _I)),
    ("paid time off", re.compile(r"\bPTO\b|\bpaid time off\b|\bvacation\b|\bholidays\b", _I)),
    ("parental leave", re.compile(r"\b(parental|maternity|paternity) leave\b", _I)),
    ("equity", re.compile(r"\bequity\b|\bstock options?\b|\bRSUs?\b|\bESPP\b", _I)),
    ("bonus", re.compile(r"\b(annual|performance|signing|sign-on) bonus\b|\bbonus (program|eligible)\b", _I)),
    ("life insurance", re.compile(r"\blife insurance\b", _I)),
    ("disability insurance", re.compile(r"\bdisability (insurance|coverage)\b", _I)),
    ("wellness program", re.compile(r"\bwellness\b|\bgym\b", _I)),
    ("learning budget", re.compile(r"\b(learning|education|training|development) (budget|stipend|allowance)\b|"
                                   r"\btuition (reimbursement|assistance)\b", _I)),
    ("remote work stipend", re.compile(r"\b(home office|remote work|wfh) (stipend|allowance)\b", _I)),
)  # fmt: skip
EQUITY = BENEFITS[7][1]
LEARNING_BUDGET = BENEFITS[12][1]
CONFERENCE = re.compile(r"\bconferences?\b", _I)
HARDWARE = re.compile(r"\b(choice of|choose your( own)?) (laptop|hardware|equipment|machine)\b", _I)
PTO_UNLIMITED = re.compile(r"\bunlimited (pto|vacation|paid time off|time off)\b|\bflexible time off\b", _I)
PTO_GENEROUS = re.compile(r"\bgenerous (pto|vacation|paid time off|time off|leave)\b", _I)
PTO_STANDARD = re.compile(
    r"\bPTO\b|\bpaid time off\b|\bvacation days\b|\b\d{1,2} days (of )?(vacation|pto|leave)\b", _I
)

GENAI = re.compile(
    r"\bLLMs?\b|\blarge language models?\b|\bGPT(-?\d\w*)?\b|\bChatGPT\b|\bClaude\b|\bGemini\b|\bGen ?AI\b|"
    r"\bgenerative AI\b|\bRAG\b|\bretrieval[- ]augmented\b|\bprompt engineering\b|\bcopilots?\b|"
    r"\bfoundation models?\b|\btransformer models?\b|\bAI assistants?\b",
    _I,
)
FEATURE_STORE = re.compile(r"\bfeature stores?\b|\bFeast\b|\bTecton\b|\bHopsworks\b|\bfeature platform\b", _I)
US_ONLY = re.compile(
    r"\b(us|u\.s\.|united states)[- ]only\b|\b(must|need to) (be )?(located|reside|live|based) in the "
    r"(us|u\.s\.|united states)\b|\bwithin the (us|u\.s\.|united states)\b",
    _I,
)
MUST_RESIDE = re.compile(
    r"\b(must|need to|required to) (be )?(reside|live|be located|located|based) in\b", _I
)
RELOCATE = re.compile(r"\bwilling(ness)? to relocate\b|\bmust relocate\b|\brelocation (is )?required\b", _I)
IMMEDIATE_START = re.compile(r"\b(start|starting) (date )?(immediately|asap)\b|\bimmediate start\b", _I)
NON_EXEMPT = re.compile(r"\bnon-exempt\b|\bovertime (pay|is paid|eligible)\b", _I)
EXEMPT = re.compile(r"\b(this is an? )?exempt (position|role)\b|\bFLSA exempt\b", _I)
W2 = re.compile(r"\bW-?2\b", 0)
C2C = re.compile(r"\bC2C\b|\bcorp[- ]to[- ]corp\b", _I)
TEN99 = re.compile(r"\b1099\b", 0)
URGENT = re.compile(r"\burgent(ly)?\b|\bimmediate (hire|need|opening)\b|\bASAP\b", _I)

TITLE_SENIORITY = (
    ("intern", re.compile(r"\bintern(ship)?\b", _I)),
    ("distinguished", re.compile(r"\bdistinguished\b", _I)),
    ("principal", re.compile(r"\bprincipal\b", _I)),
    ("staff", re.compile(r"\bstaff\b", _I)),
    ("senior", re.compile(r"\bsenior\b|\bsr\.?\b", _I)),
    ("junior", re.compile(r"\bjunior\b|\bjr\.?\b", _I)),
    ("entry", re.compile(r"\bentry[- ]level\b|\bgraduate\b|\bnew grad\b", _I)),
    ("associate", re.compile(r"\bassociate\b", _I)),
    ("mid", re.compile(r"\bmid[- ]?(level|senior)?\b|\bintermediate\b", _I)),
)
TITLE_FAMILY = (
    ("analytics_engineer", re.compile(r"\banalytics engineer", _I)),
    ("mlops_engineer", re.compile(r"\bmlops\b", _I)),
    ("ml_engineer", re.compile(r"\b(ml|machine learning|ai) engineer", _I)),
    ("data_architect", re.compile(r"\bdata architect", _I)),
    ("data_platform_engineer", re.compile(r"\bdata platform engineer", _I)),
    ("data_scientist", re.compile(r"\bdata scientist", _I)),
    ("data_analyst", re.compile(r"\bdata analyst", _I)),
    ("bi_engineer", re.compile(r"\b(bi|business intelligence) (engineer|developer)", _I)),
    ("research_engineer", re.compile(r"\bresearch engineer", _I)),
    ("data_engineer", re.compile(r"\bdata engineer|\betl (developer|engineer)|\bbig data engineer", _I)),
)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s and s.strip()]


def _first_sentence(sentences: list[str], pattern: re.Pattern[str], text: str | None = None) -> str | None:
    """The first sentence matching `pattern` (the whole text is searched once first: most patterns miss)."""
    if text is not None and not pattern.search(text):
        return None
    for sentence in sentences:
        if pattern.search(sentence):
            return sentence[:300]
    return None


def _as_number(token: str) -> float:
    return float(_NUMBER_WORDS.get(token.lower(), token) if not token.isdigit() else token)


def years_of_experience(sentences: list[str]) -> tuple[float | None, float | None, str | None]:
    """ "5+ years" -> (5, None); "3-5 years" -> (3, 5); "4 years" -> (4, 4); the first sentence about experience."""
    for sentence in sentences:
        if not re.search(r"experience|background|track record", sentence, _I):
            continue
        if match := YEARS_RANGE.search(sentence):
            low, high = _as_number(match.group(1)), _as_number(match.group(2))
            if low <= high <= 50:
                return low, high, sentence[:300]
        if match := YEARS_PLUS.search(sentence):
            return _as_number(match.group(1) or match.group(2)), None, sentence[:300]
        if match := YEARS_MIN.search(sentence):
            return _as_number(match.group(1)), None, sentence[:300]
        if match := YEARS_EXACT.search(sentence):
            value = _as_number(match.group(1))
            if value <= 50:
                return value, value, sentence[:300]
    return None, None, None


def _salary_fields(job_text: str, salary_text: str | None) -> dict[str, Any]:
    from dej_platform.silver.salary import parse_salary_text

    found = parse_salary_text(salary_text, pay_field=True) if salary_text else None
    found = found or parse_salary_text(job_text)
    if found is None or (found.min is None and found.max is None):
        return {}
    low, high = found.min, found.max if found.max is not None else found.min
    if found.period == "hour":
        return {"hourly_rate_min": low, "hourly_rate_max": high, "hourly_rate_currency": found.currency,
                "hourly_rate_text_raw": found.text, "pay_type": "hourly"}  # fmt: skip
    if found.period == "day":
        return {"daily_rate_min": low, "daily_rate_max": high, "daily_rate_currency": found.currency,
                "daily_rate_text_raw": found.text, "pay_type": "daily"}  # fmt: skip
    if found.period in ("year", "month"):
        return {"salary_disclosed": True, "salary_min": low, "salary_max": high, "salary_currency": found.currency,
                "salary_period": "yearly" if found.period == "year" else "monthly", "salary_text_raw": found.text,
                "pay_type": "salary"}  # fmt: skip
    return {}


def extract_facts(title: str | None, text: str | None, salary_text: str | None = None) -> dict[str, Any]:
    """Pass-1 fields the rules can read, as an answer object (fields not found are left out)."""
    text = text or ""
    sentences = _sentences(text)
    whole = f"{title or ''}\n{text}"
    out: dict[str, Any] = _salary_fields(text, salary_text)

    if sentence := _first_sentence(sentences, VISA_REFUSED, text):
        out.update(visa_sponsorship_stated="will_not_sponsor", work_auth_text=sentence)
    elif sentence := _first_sentence(sentences, VISA_OFFERED, text):
        out.update(visa_sponsorship_stated="will_sponsor", work_auth_text=sentence)
    elif sentence := _first_sentence(sentences, WORK_AUTH, text):
        out.update(visa_sponsorship_stated="must_be_authorized", work_auth_text=sentence)
    if sentence := _first_sentence(sentences, CITIZENSHIP, text):
        out["citizenship_text"] = sentence
    if sentence := _first_sentence(sentences, CLEARANCE, text):
        out["security_clearance_stated"] = "preferred" if OPTIONAL.search(sentence) else "required"

    if HYBRID.search(whole):
        out["work_model_stated"] = "hybrid"
    elif NOT_REMOTE.search(whole):
        out["work_model_stated"] = "onsite"
    elif REMOTE.search(whole):
        out["work_model_stated"] = "remote"
    elif ONSITE.search(whole):
        out["work_model_stated"] = "onsite"
    if sentence := _first_sentence(sentences, MUST_RESIDE, text):
        out["location_restriction_text"] = sentence
        out["residency_requirement"] = "must_be_resident"
    if RELOCATE.search(text):
        out["residency_requirement"] = "willing_to_relocate"
    if US_ONLY.search(text):
        out.update(geo_restriction_type="us_only", allowed_countries=["US"])

    if INTERNSHIP.search(title or ""):
        out["employment_type_stated"] = "internship"
    elif CONTRACT.search(title or "") or re.search(
        r"\bcontract (role|position|assignment|basis)\b", text, _I
    ):
        out["employment_type_stated"] = "contract"
    elif FULL_TIME.search(whole):
        out["employment_type_stated"] = "full_time"
    elif PART_TIME.search(whole):
        out["employment_type_stated"] = "part_time"
    duration = None
    for sentence in sentences:
        if re.search(r"contract|duration|assignment|engagement|term", sentence, _I) and (
            m := DURATION.search(sentence)
        ):
            months = float(m.group(1)) * (12 if m.group(2).lower().startswith("y") else 1)
            if 0 < months <= 120:
                duration = months
                out.update(contract_duration_months=months, contract_duration_text=sentence[:300])
                break
    if CONTRACT_TO_HIRE.search(whole):
        out.update(contract_type="contract_to_hire", conversion_to_fte="yes_possible")
    elif FIXED_TERM.search(whole):
        out["contract_type"] = "fixed_term"
    elif PROJECT.search(whole):
        out["contract_type"] = "project_based"
    elif SEASONAL.search(whole):
        out["contract_type"] = "seasonal"
    elif out.get("employment_type_stated") == "contract" and duration is not None:
        out["contract_type"] = "fixed_term"
    elif PERMANENT.search(whole) or out.get("employment_type_stated") == "full_time":
        out["contract_type"] = "permanent"
    if EXTENSION.search(text):
        out["extension_possible"] = "likely"
    if sentence := _first_sentence(sentences, IMMEDIATE_START, text):
        out.update(start_date="immediate", start_date_text=sentence)
    if NON_EXEMPT.search(text):
        out["overtime_paid"] = "yes"
    elif EXEMPT.search(text):
        out["overtime_paid"] = "exempt"

    low, high, years_text = years_of_experience(sentences)
    if years_text:
        out.update(years_experience_min=low, years_experience_max=high, years_experience_text=years_text)

    for sentence in sentences:
        if not DEGREE_CONTEXT.search(sentence):
            continue
        levels = [level for level, pattern in EDUCATION_LEVELS if pattern.search(sentence)]
        if not levels:
            continue
        out.update(education_level=levels[0], education_text_raw=sentence[:400])
        areas = [area for area, pattern in EDUCATION_AREAS if pattern.search(sentence)]
        if areas:
            out["education_area"] = areas[0]
        if OR_EQUIVALENT.search(sentence):
            out["education_requirement"] = "or_equivalent"
        elif OPTIONAL.search(sentence):
            out["education_requirement"] = "preferred"
        else:
            out["education_requirement"] = "required"
        break

    benefits = [name for name, pattern in BENEFITS if pattern.search(text)]
    if benefits:
        out["benefits_mentioned"] = benefits
    out["equity_mentioned"] = bool(EQUITY.search(text))
    out["learning_budget_mentioned"] = bool(LEARNING_BUDGET.search(text))
    out["conference_budget_mentioned"] = bool(
        re.search(r"\bconference (budget|stipend|allowance|attendance)\b|\battend conferences\b", text, _I)
    )
    out["hardware_choice_mentioned"] = bool(HARDWARE.search(text))
    if PTO_UNLIMITED.search(text):
        out["pto_policy"] = "unlimited"
    elif PTO_GENEROUS.search(text):
        out["pto_policy"] = "generous"
    elif PTO_STANDARD.search(text):
        out["pto_policy"] = "standard"
    out["llm_genai_mentioned"] = bool(GENAI.search(whole))
    out["feature_store_mentioned"] = bool(FEATURE_STORE.search(whole))
    return out


def _judgement(value: Any, confidence: float, evidence: str | None, source: str) -> dict[str, Any]:
    return {"value": value, "confidence": confidence, "evidence": evidence, "source": source}


def _maps(judgements: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        key: {name: j[key] for name, j in judgements.items()}
        for key in ("value", "confidence", "evidence", "source")
    }


def infer_classification(title: str | None, text: str | None, facts: Pass1Extraction) -> dict[str, Any]:
    """Pass-2 answer: only judgements that follow from stated facts or the title."""
    text = text or ""
    out: dict[str, dict[str, Any]] = {}
    if facts.visa_sponsorship_stated == "will_sponsor":
        out["h1b_friendly"] = _judgement(True, 0.9, facts.work_auth_text, "pass1_derived")
    elif facts.visa_sponsorship_stated == "will_not_sponsor":
        out["h1b_friendly"] = _judgement(False, 0.9, facts.work_auth_text, "pass1_derived")
        out["opt_cpt_friendly"] = _judgement(False, 0.7, facts.work_auth_text, "pass1_derived")
    citizenship = facts.citizenship_text or ""
    if re.search(r"green card|permanent resident", citizenship, _I) and re.search(
        r"citizen", citizenship, _I
    ):
        out["citizenship_required"] = _judgement("us_or_gc", 0.85, citizenship[:200], "pass1_derived")
    elif re.search(r"citizen", citizenship, _I):
        out["citizenship_required"] = _judgement("us_citizen_only", 0.85, citizenship[:200], "pass1_derived")
    elif facts.visa_sponsorship_stated == "must_be_authorized":
        out["citizenship_required"] = _judgement("work_auth_only", 0.7, facts.work_auth_text, "pass1_derived")
    kinds = [k for k, p in (("w2", W2), ("c2c", C2C), ("1099", TEN99)) if p.search(text)]
    if kinds:
        out["w2_vs_1099"] = _judgement(kinds[0] if len(kinds) == 1 else "any", 0.8, None, "explicit")
    if facts.residency_requirement == "willing_to_relocate":
        out["relocation_required"] = _judgement(True, 0.6, None, "pass1_derived")
    premium = sum(
        [facts.equity_mentioned, facts.learning_budget_mentioned, facts.conference_budget_mentioned,
         facts.hardware_choice_mentioned, facts.pto_policy in ("unlimited", "generous")]
    )  # fmt: skip
    count = len(facts.benefits_mentioned)
    if premium >= 3:
        level = "comprehensive"
    elif count >= 2:
        level = "standard"
    elif count == 1:
        level = "basic"
    else:
        level = None
    if level:
        out["benefits_level"] = _judgement(
            level, 0.6, ", ".join(facts.benefits_mentioned)[:200], "pass1_derived"
        )
    for level, pattern in TITLE_SENIORITY:
        if title and pattern.search(title):
            out["seniority_level"] = _judgement(level, 0.8, title[:200], "explicit")
            break
    for family, pattern in TITLE_FAMILY:
        if title and pattern.search(title):
            out["job_family"] = _judgement(family, 0.85, title[:200], "explicit")
            break
    return _maps(out)


def competition_from_applicants(applicants: int | None) -> str | None:
    if applicants is None:
        return None
    if applicants < 10:
        return "low"
    if applicants <= 50:
        return "medium"
    if applicants <= 200:
        return "high"
    return "very_high"


def analyse(
    text: str | None, applicants: int | None, facts: Pass1Extraction, judged: Pass2Inference
) -> dict[str, Any]:
    """Pass-3 answer: competition from the applicant count, urgency and GenAI focus from words, a fact-based summary."""
    text = text or ""
    out: dict[str, dict[str, Any]] = {}
    if (level := competition_from_applicants(applicants)) is not None:
        out["competition_level"] = _judgement(level, 0.9, f"{applicants} applicants", "explicit")
    if facts.start_date == "immediate" or URGENT.search(text):
        out["hiring_urgency"] = _judgement("immediate", 0.6, facts.start_date_text, "explicit")
    if facts.llm_genai_mentioned:
        out["ai_integration_level"] = _judgement("genai_focus", 0.55, None, "pass1_derived")
    strengths: list[str] = []
    concerns: list[str] = []
    if facts.salary_disclosed or facts.hourly_rate_min is not None:
        strengths.append("transparent_salary")
    else:
        concerns.append("salary_not_disclosed")
    strengths += [cat for cat, on in (
        ("remote_friendly", facts.work_model_stated == "remote"),
        ("hybrid_work", facts.work_model_stated == "hybrid"),
        ("visa_sponsorship", facts.visa_sponsorship_stated == "will_sponsor"),
        ("equity_offered", facts.equity_mentioned),
        ("strong_benefits", judged.benefits_level.value == "comprehensive"),
    ) if on]  # fmt: skip
    concerns += [cat for cat, on in (
        ("no_visa_sponsorship", facts.visa_sponsorship_stated == "will_not_sponsor"),
        ("citizenship_required", judged.citizenship_required.value in ("us_citizen_only", "us_or_gc")),
        ("contract_short_term", facts.contract_duration_months is not None and facts.contract_duration_months <= 6),
        ("relocation_required", judged.relocation_required.value is True),
    ) if on]  # fmt: skip
    answer = _maps(out)
    answer["summary"] = {"strength_categories": strengths[:5], "concern_categories": concerns[:4]}
    return answer


class RulesProvider:
    """Offline answers from text rules; reports zero tokens (nothing is sent anywhere)."""

    name = "rules"
    reads_prompt = False

    def complete(self, request: PassRequest) -> ProviderAnswer:
        job = request.job
        number = request.prompt.pass_number
        if number == 1:
            obj = extract_facts(job.job_title, job.job_description_text, job.salary_text)
        elif number == 2:
            facts = request.previous[1]
            assert isinstance(facts, Pass1Extraction)
            obj = infer_classification(job.job_title, job.job_description_text, facts)
        else:
            facts, judged = request.previous[1], request.previous[2]
            assert isinstance(facts, Pass1Extraction) and isinstance(judged, Pass2Inference)
            obj = analyse(job.job_description_text, job.job_num_applicants, facts, judged)
        return ProviderAnswer(obj=obj, tokens_in=0, tokens_out=0)
