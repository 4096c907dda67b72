"""Country code -> name, continent and market region, so dim_location can roll jobs up beyond the country.

A small hand-written table of the markets LinkedIn data-engineering postings come from; an unknown code keeps
its code as the name and gets "Unknown" continent/region rather than failing the run.
"""

from __future__ import annotations

import polars as pl

UNKNOWN = "Unknown"

# (ISO 3166-1 alpha-2, country name, continent, market region)
_COUNTRIES: tuple[tuple[str, str, str, str], ...] = (
    ("US", "United States", "North America", "North America"),
    ("CA", "Canada", "North America", "North America"),
    ("MX", "Mexico", "North America", "Latin America"),
    ("BR", "Brazil", "South America", "Latin America"),
    ("AR", "Argentina", "South America", "Latin America"),
    ("CL", "Chile", "South America", "Latin America"),
    ("CO", "Colombia", "South America", "Latin America"),
    ("PE", "Peru", "South America", "Latin America"),
    ("UY", "Uruguay", "South America", "Latin America"),
    ("CR", "Costa Rica", "North America", "Latin America"),
    ("GB", "United Kingdom", "Europe", "Europe"),
    ("IE", "Ireland", "Europe", "Europe"),
    ("DE", "Germany", "Europe", "Europe"),
    ("FR", "France", "Europe", "Europe"),
    ("NL", "Netherlands", "Europe", "Europe"),
    ("BE", "Belgium", "Europe", "Europe"),
    ("LU", "Luxembourg", "Europe", "Europe"),
    ("ES", "Spain", "Europe", "Europe"),
    ("PT", "Portugal", "Europe", "Europe"),
    ("IT", "Italy", "Europe", "Europe"),
    ("CH", "Switzerland", "Europe", "Europe"),
    ("AT", "Austria", "Europe", "Europe"),
    ("SE", "Sweden", "Europe", "Europe"),
    ("NO", "Norway", "Europe", "Europe"),
    ("DK", "Denmark", "Europe", "Europe"),
    ("FI", "Finland", "Europe", "Europe"),
    ("PL", "Poland", "Europe", "Europe"),
    ("CZ", "Czechia", "Europe", "Europe"),
    ("RO", "Romania", "Europe", "Europe"),
    ("HU", "Hungary", "Europe", "Europe"),
    ("GR", "Greece", "Europe", "Europe"),
    ("UA", "Ukraine", "Europe", "Europe"),
    ("EE", "Estonia", "Europe", "Europe"),
    ("LT", "Lithuania", "Europe", "Europe"),
    ("LV", "Latvia", "Europe", "Europe"),
    ("BG", "Bulgaria", "Europe", "Europe"),
    ("HR", "Croatia", "Europe", "Europe"),
    ("RS", "Serbia", "Europe", "Europe"),
    ("TR", "Turkey", "Asia", "Middle East & Africa"),
    ("IL", "Israel", "Asia", "Middle East & Africa"),
    ("AE", "United Arab Emirates", "Asia", "Middle East & Africa"),
    ("SA", "Saudi Arabia", "Asia", "Middle East & Africa"),
    ("QA", "Qatar", "Asia", "Middle East & Africa"),
    ("EG", "Egypt", "Africa", "Middle East & Africa"),
    ("ZA", "South Africa", "Africa", "Middle East & Africa"),
    ("NG", "Nigeria", "Africa", "Middle East & Africa"),
    ("KE", "Kenya", "Africa", "Middle East & Africa"),
    ("MA", "Morocco", "Africa", "Middle East & Africa"),
    ("IN", "India", "Asia", "Asia Pacific"),
    ("PK", "Pakistan", "Asia", "Asia Pacific"),
    ("CN", "China", "Asia", "Asia Pacific"),
    ("HK", "Hong Kong", "Asia", "Asia Pacific"),
    ("TW", "Taiwan", "Asia", "Asia Pacific"),
    ("JP", "Japan", "Asia", "Asia Pacific"),
    ("KR", "South Korea", "Asia", "Asia Pacific"),
    ("SG", "Singapore", "Asia", "Asia Pacific"),
    ("MY", "Malaysia", "Asia", "Asia Pacific"),
    ("TH", "Thailand", "Asia", "Asia Pacific"),
    ("VN", "Vietnam", "Asia", "Asia Pacific"),
    ("PH", "Philippines", "Asia", "Asia Pacific"),
    ("ID", "Indonesia", "Asia", "Asia Pacific"),
    ("AU", "Australia", "Oceania", "Asia Pacific"),
    ("NZ", "New Zealand", "Oceania", "Asia Pacific"),
)


def country_frame() -> pl.DataFrame:
    """One row per known country code."""
    return pl.DataFrame(
        _COUNTRIES,
        schema={
            "country_code": pl.String,
            "country_name": pl.String,
            "continent": pl.String,
            "market_region": pl.String,
        },
        orient="row",
    )


def country_name(code: str | None) -> str:
    for known, name, _, _ in _COUNTRIES:
        if known == code:
            return name
    return code or UNKNOWN
