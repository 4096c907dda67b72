"""Salary rules: a table of free-text cases written for this project, plus base_salary and validation rules."""

from __future__ import annotations

import math

import pytest

from dej_platform.silver import fx
from dej_platform.silver.salary import (
    PLAUSIBLE_USD,
    SalaryResult,
    parse_amount,
    parse_salary,
    parse_salary_text,
)

Y, H, M, W, D = "year", "hour", "month", "week", "day"

# (text, min, max, currency, period, flag). min/max are in the original currency and period.
TEXT_CASES: list[tuple[str, float | None, float | None, str | None, str | None, str | None]] = [
    # US dollars, ranges and separators
    ("Salary: $120,000 - $150,000", 120000, 150000, "USD", Y, None),
    ("The base pay range is $95,000 to $125,000 per year.", 95000, 125000, "USD", Y, None),
    ("Compensation: $110k–$140k", 110000, 140000, "USD", Y, None),
    ("Pay: $80K-$100K annually", 80000, 100000, "USD", Y, None),
    ("Salary range $130,000.00 - $160,000.00", 130000, 160000, "USD", Y, None),
    ("Base salary: $125,500 to $230,200", 125500, 230200, "USD", Y, None),
    ("Salary Range: $100,000 - $160,000 Annual", 100000, 160000, "USD", Y, None),
    ("Compensation : $80k-180k + equity", 80000, 180000, "USD", Y, None),
    # a period written after each end of the range
    ("Rate: $45/hr - $70/hr on W2.", 45, 70, "USD", H, None),
    ("€60k/yr – €75k/yr", 60000, 75000, "EUR", Y, None),
    ("$45/hour to $70/hour", 45, 70, "USD", H, None),
    ("$45/hr to start, $9,000/month later", 45, 45, "USD", H, None),
    ("salary between $90,000 and $110,000", 90000, 110000, "USD", Y, None),
    ("Compensation: $150k - $175k/yr", 150000, 175000, "USD", Y, None),
    ("$95,000 - $120,000 a year", 95000, 120000, "USD", Y, None),
    ("Salary: $140,000/year", 140000, 140000, "USD", Y, None),
    ("Pay range: $60-70k", 60000, 70000, "USD", Y, None),
    ("Annual salary: $105,000", 105000, 105000, "USD", Y, None),
    ("Salary: USD 130,000 - 150,000", 130000, 150000, "USD", Y, None),
    ("Salary Range = 110000 - 190000 USD Annually + Benefits", 110000, 190000, "USD", Y, None),
    ("Salary: US$ 90,000", 90000, 90000, "USD", Y, None),
    ("Pay: US$50/hr", 50, 50, "USD", H, None),
    ("The salary is 120,000 USD per year", 120000, 120000, "USD", Y, None),
    ("Sr Data Engineer | Fully Remote, US | $89,900 - 160,600", 89900, 160600, "USD", Y, None),
    # hourly, daily, weekly, monthly
    ("Pay Range: $63 - $73/hour.", 63, 73, "USD", H, None),
    ("Rate: $65.00 to $70.00 per hourly on W2", 65, 70, "USD", H, None),
    ("Hourly rate: $55-$65", 55, 65, "USD", H, None),
    ("90-110 USD per hour", 90, 110, "USD", H, None),
    ("Pay rate $45/hr on W2", 45, 45, "USD", H, None),
    ("Rate: $85 - $95 an hour", 85, 95, "USD", H, None),
    ("Pay: $40 per hour", 40, 40, "USD", H, None),
    ("Contract rate: $70/h", 70, 70, "USD", H, None),
    ("Day rate: £500 - £600", 500, 600, "GBP", D, None),
    ("Rate: €550 per day outside IR35", 550, 550, "EUR", D, None),
    ("£450-£550 per day", 450, 550, "GBP", D, None),
    ("Pay: $2,000 per week", 2000, 2000, "USD", W, None),
    ("Salary $1,500 - $1,800 weekly", 1500, 1800, "USD", W, None),
    ("Salary: $8,000/month", 8000, 8000, "USD", M, None),
    ("Salary 5.000 - 6.500 EUR per month", 5000, 6500, "EUR", M, None),
    ("Salário: R$ 12.000,00 a R$ 15.000,00 por mês", 12000, 15000, "BRL", M, None),
    ("Remuneração R$ 8.500 mensal", 8500, 8500, "BRL", M, None),
    ("Salary 15 000 - 20 000 zł miesięcznie", 15000, 20000, "PLN", M, None),
    ("Sueldo: MXN 45,000 mensual", 45000, 45000, "MXN", M, None),
    ("Salary: S$ 8,000 - 10,000 per month", 8000, 10000, "SGD", M, None),
    ("Salary AED 25,000 per month", 25000, 25000, "AED", M, None),
    ("Gehalt: 5.500 € monatlich", 5500, 5500, "EUR", M, None),
    # euro, pound and European styles
    ("Salary: €60.000–€75.000", 60000, 75000, "EUR", Y, None),
    ("Salary: £45k to £55k", 45000, 55000, "GBP", Y, None),
    ("Salary: Up to £110,000 per annum + Bonus & Benefits", None, 110000, "GBP", Y, None),
    ("£60,000 - £70,000 p.a.", 60000, 70000, "GBP", Y, None),
    ("Salary: £55k pa plus bonus", 55000, 55000, "GBP", Y, None),
    ("Gehalt: 65.000 - 80.000 EUR brutto jährlich", 65000, 80000, "EUR", Y, None),
    ("Salaire : 45 000 € - 55 000 € brut par an", 45000, 55000, "EUR", Y, None),
    ("Rémunération 50k€ - 60k€", 50000, 60000, "EUR", Y, None),
    ("Salary 45.000,00 € per year", 45000, 45000, "EUR", Y, None),
    ("Salary: EUR 70,000 - 85,000", 70000, 85000, "EUR", Y, None),
    ("Gehalt: 60.000 Euro", 60000, 60000, "EUR", Y, None),
    ("Salary: 72 000 euros per year", 72000, 72000, "EUR", Y, None),
    ("Salary CHF 120'000", 120000, 120000, "CHF", Y, None),
    ("Salary: CHF 110,000 - 130,000", 110000, 130000, "CHF", Y, None),
    ("Lön: 45 000 - 55 000 SEK per month", 45000, 55000, "SEK", M, None),
    ("Salary: 600 000 - 700 000 NOK per year", 600000, 700000, "NOK", Y, None),
    ("Wynagrodzenie: 20 000 - 25 000 PLN", 20000, 25000, "PLN", None, "unknown_period"),
    ("Salary: 80 000 - 100 000 CZK monthly", 80000, 100000, "CZK", M, None),
    # Canada, Australia, other dollars
    ("Salary: CAD 95,000/year", 95000, 95000, "CAD", Y, None),
    ("Salary: C$ 100,000 - 120,000", 100000, 120000, "CAD", Y, None),
    ("Salary: CA$ 90,000 - 110,000", 90000, 110000, "CAD", Y, None),
    ("Salary: A$140k - A$160k + super", 140000, 160000, "AUD", Y, None),
    ("Salary: AUD 150,000 - 170,000 plus super", 150000, 170000, "AUD", Y, None),
    ("Salary: NZ$ 120,000", 120000, 120000, "NZD", Y, None),
    ("Salary: HK$ 50,000 per month", 50000, 50000, "HKD", M, None),
    ("$95,000 - $120,000 CAD", 95000, 120000, "CAD", Y, None),
    # India
    ("CTC: ₹25 LPA", 2500000, 2500000, "INR", Y, None),
    ("CTC 25-30 lakhs", 2500000, 3000000, "INR", Y, None),
    ("Salary: 18 LPA - 24 LPA", 1800000, 2400000, "INR", Y, None),
    ("Salary: Rs. 8,00,000 - 12,00,000 per annum", 800000, 1200000, "INR", Y, None),
    ("Salary: INR 15,00,000 per annum", 1500000, 1500000, "INR", Y, None),
    ("Salary: ₹ 80,000 per month", 80000, 80000, "INR", M, None),
    ("Stipend: ₹ 25,000 per month", 25000, 25000, "INR", M, None),
    # Asia
    ("Salary: ¥6,000,000 - ¥8,000,000 per year", 6000000, 8000000, "JPY", Y, None),
    ("Salary: JPY 7M - 9M", 7000000, 9000000, "JPY", Y, None),
    ("Salary: SGD 7,000 - 9,000 monthly", 7000, 9000, "SGD", M, None),
    ("Salary: ₩60,000,000", 60000000, 60000000, "KRW", Y, None),
    ("Salary: ₪25,000 - ₪30,000 per month", 25000, 30000, "ILS", M, None),
    ("Salary: PHP 80,000 monthly", 80000, 80000, "PHP", M, None),
    # up to / from
    ("Salary: up to $200k", None, 200000, "USD", Y, None),
    ("Compensation up to $95/hr", None, 95, "USD", H, None),
    ("Salary from €55,000", 55000, None, "EUR", Y, None),
    ("Salary starting at $70,000", 70000, None, "USD", Y, None),
    ("Salary: at least $120k", 120000, None, "USD", Y, None),
    ("Salary: minimum £40,000", 40000, None, "GBP", Y, None),
    # bare k with a pay word, no currency
    ("Compensation: 120k-150k", 120000, 150000, None, Y, "unknown_currency"),
    ("Salary 90K - 110K", 90000, 110000, None, Y, "unknown_currency"),
    # rejected: implausible values are nulled with a flag, never repaired
    ("salary offers up to $6.5M per month!", None, None, "USD", M, "implausible_amount"),
    ("Salary: $5,000,000 per year", None, None, "USD", Y, "implausible_amount"),
    ("Pay: $5,000 per hour", None, None, "USD", H, "implausible_amount"),
    ("Salary: $150,000 - $120,000", None, None, "USD", None, "min_gt_max"),
    ("Salary: $10 - $150,000", None, None, "USD", None, "implausible_range"),
    ("Salary: $5,000", 5000, 5000, "USD", None, "unknown_period"),
    ("Salary: ₹500 per month", None, None, "INR", M, "implausible_amount"),
    # not salaries at all
    ("5-7 years of experience, 401k match", None, None, None, None, None),
    ("401(k) plan with 4% match", None, None, None, None, None),
    ("Call us at 555-123-4567 or (555) 987 6543", None, None, None, None, None),
    ("Posted 12/10/2025, start date 2026-01-15", None, None, None, None, None),
    ("We raised $50M in Series B funding last year.", None, None, None, None, None),
    ("Tuition reimbursement up to $8,000 annually", None, None, None, None, None),
    ("MFS contributes $100 monthly up to $10,000 lifetime maximum", None, None, None, None, None),
    ("A $5,000 signing bonus is offered.", None, None, None, None, None),
    ("Annual learning budget of €690 per employee", None, None, None, None, None),
    ("The company has $2B in assets under management", None, None, None, None, None),
    ("Requires 3+ years with Python 3.11 and Spark 3.5", None, None, None, None, None),
    ("Competitive salary and benefits.", None, None, None, None, None),
    ("", None, None, None, None, None),
]


@pytest.mark.parametrize(
    ("text", "low", "high", "currency", "period", "flag"), TEXT_CASES, ids=range(len(TEXT_CASES))
)
def test_salary_text_table(text, low, high, currency, period, flag):
    result = parse_salary_text(text)
    if low is None and high is None and currency is None and flag is None:
        assert result is None, result
        return
    assert result is not None
    assert (result.min, result.max, result.currency, result.period, result.flag) == (
        low,
        high,
        currency,
        period,
        flag,
    )
    assert result.source == "text"
    assert result.text and result.text in text
    if flag is None:
        factor = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}[period]
        top = high if high is not None else low
        annual_top = result.annual_max if high is not None else result.annual_min
        assert annual_top == pytest.approx(top * factor)
        usd_top = result.annual_max_usd if high is not None else result.annual_min_usd
        assert usd_top == pytest.approx(fx.to_usd(top * factor, currency))
        assert result.fx_version == fx.fx_version()
    elif flag in ("implausible_amount", "min_gt_max", "implausible_range"):
        assert result.annual_min is None and result.annual_max is None
        assert result.annual_min_usd is None and result.annual_max_usd is None


def test_table_is_large_enough():
    assert len(TEXT_CASES) >= 100


def test_salary_in_a_long_description_is_found_after_benefits_noise():
    filler = "We build data platforms with Spark and dbt. " * 300
    text = (
        filler
        + "Benefits: 401(k) with 4% match, $2,000 learning budget, tuition reimbursement up to $5,250 a year. "
        + "The base salary range for this role is $135,000 - $165,000 per year. "
        + filler
    )
    result = parse_salary_text(text)
    assert result is not None
    assert (result.min, result.max, result.period) == (135000, 165000, "year")


def test_country_resolves_bare_dollar_in_text():
    assert parse_salary_text("Salary: $95,000 - $110,000", country="CA").currency == "CAD"
    assert parse_salary_text("Salary: $95,000 - $110,000", country="AU").currency == "AUD"
    assert parse_salary_text("Salary: $95,000 - $110,000", country="US").currency == "USD"
    assert parse_salary_text("Salary: 45 000 - 55 000 kr per month", country="NO").currency == "NOK"


@pytest.mark.parametrize(
    ("number", "multiplier", "expected"),
    [
        ("120,000", None, 120000),
        ("60.000", None, 60000),
        ("12.000,00", None, 12000),
        ("1,234.56", None, 1234.56),
        ("12,00,000", None, 1200000),
        ("65.00", None, 65),
        ("65,5", None, 65.5),
        ("1.5", "k", 1500),
        ("6.5", "M", 6500000),
        ("60 000", None, 60000),
        ("25", "lakhs", 2500000),
        ("1.000.000", None, 1000000),
    ],
)
def test_parse_amount_styles(number, multiplier, expected):
    assert parse_amount(number, multiplier) == pytest.approx(expected)


# ----------------------------------------------------------------------------------------- base_salary
def test_base_salary_symbol_and_yr_become_iso_and_year():
    result = parse_salary(
        {"min_amount": 125500, "max_amount": 230200, "currency": "$", "payment_period": "yr"}, None, None
    )
    assert (result.currency, result.period, result.source) == ("USD", "year", "base_salary")
    assert (result.annual_min_usd, result.annual_max_usd) == (125500, 230200)
    assert result.flag is None and result.fx_version == fx.fx_version()


def test_base_salary_hourly_is_annualized_with_2080_hours():
    result = parse_salary(
        {"min_amount": 65.0, "max_amount": 70.0, "currency": "$", "payment_period": "hr"}, None, None
    )
    assert (result.period, result.annual_min, result.annual_max) == ("hour", 65 * 2080, 70 * 2080)


def test_base_salary_monthly_euro_string_amounts():
    result = parse_salary(
        {"min_amount": "4000", "max_amount": "5000", "currency": "EUR", "payment_period": "MONTHLY"},
        None,
        None,
    )
    assert (result.currency, result.period, result.annual_max) == ("EUR", "month", 60000)
    assert result.annual_max_usd == pytest.approx(60000 * fx.load_fx_table().usd_per_unit["EUR"])


def test_base_salary_wins_over_pay_range_and_text():
    result = parse_salary(
        {"min_amount": 100000, "max_amount": 120000, "currency": "$", "payment_period": "yr"},
        "$50/hr",
        "Salary: £40,000",
    )
    assert (result.source, result.min) == ("base_salary", 100000)


def test_pay_range_wins_over_text_and_accepts_bare_numbers():
    result = parse_salary(
        {"min_amount": None, "max_amount": None, "currency": None, "payment_period": None},
        "120k-150k USD",
        "Salary: £40,000",
    )
    assert (result.source, result.min, result.max, result.currency) == ("pay_range", 120000, 150000, "USD")


def test_text_used_when_no_structured_salary():
    result = parse_salary(None, None, "Compensation: $130,000 - $150,000 annually")
    assert (result.source, result.min, result.max) == ("text", 130000, 150000)


def test_nothing_anywhere_gives_empty_result():
    assert parse_salary(None, None, None) == SalaryResult()
    assert parse_salary({}, "", "no numbers here") == SalaryResult()


@pytest.mark.parametrize(
    ("base", "flag"),
    [
        ({"min_amount": -5, "max_amount": 10, "currency": "$", "payment_period": "hr"}, "invalid_amount"),
        ({"min_amount": 0, "max_amount": 0, "currency": "$", "payment_period": "yr"}, "invalid_amount"),
        (
            {"min_amount": "abc", "max_amount": None, "currency": "$", "payment_period": "yr"},
            "invalid_amount",
        ),
        (
            {"min_amount": float("inf"), "max_amount": None, "currency": "$", "payment_period": "yr"},
            "invalid_amount",
        ),
        ({"min_amount": 200000, "max_amount": 100000, "currency": "$", "payment_period": "yr"}, "min_gt_max"),
        (
            {"min_amount": 100000, "max_amount": 120000, "currency": "XYZ", "payment_period": "yr"},
            "unknown_currency",
        ),
        (
            {"min_amount": 100000, "max_amount": 120000, "currency": "$", "payment_period": "fortnight"},
            "unknown_period",
        ),
        (
            {"min_amount": 100000, "max_amount": 120000, "currency": "$", "payment_period": "hr"},
            "implausible_amount",
        ),
        ({"min_amount": 10, "max_amount": 12, "currency": "$", "payment_period": "yr"}, "implausible_amount"),
    ],
)
def test_base_salary_rejections_are_flagged_never_guessed(base, flag):
    result = parse_salary(base, None, None)
    assert result.flag == flag
    assert result.source == "base_salary"
    assert result.annual_min_usd is None and result.annual_max_usd is None
    if flag in ("invalid_amount", "min_gt_max", "implausible_amount"):
        assert result.min is None and result.max is None


def test_nan_amounts_mean_no_salary():
    base = {"min_amount": float("nan"), "max_amount": None, "currency": "$", "payment_period": "yr"}
    assert parse_salary(base, None, None) == SalaryResult()


def test_bounds_are_consistent_with_annualization():
    for period, (low, high) in PLAUSIBLE_USD.items():
        assert 0 < low < high, period
    assert PLAUSIBLE_USD["year"][1] == 2_000_000


def test_hostile_text_is_fast_and_safe():
    hostile = ("$" + "1," * 5000 + " - ") * 20 + "9" * 100000 + " k" * 20000
    result = parse_salary_text(hostile)
    assert result is None or result.flag is not None or math.isfinite(result.min or result.max or 0)
    assert parse_salary_text("\ud800 Salary: $100,000 \udfff") is not None
    assert parse_salary(["not", "a", "dict"], 123, 456) == SalaryResult()  # type: ignore[arg-type]
