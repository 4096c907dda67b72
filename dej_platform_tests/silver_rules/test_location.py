"""Location rules: a table of LinkedIn-style location strings written for this project, and work-model rules."""

from __future__ import annotations

import pytest

from dej_platform.silver.location import (
    LocationResult,
    parse_location,
    valid_country_code,
    work_model_from_text,
    work_model_from_title,
)

R, HY, ON, UN = "remote", "hybrid", "onsite", "unknown"

# (job_location, country_code, expected city, region, country, work model from the location alone)
LOCATION_CASES: list[tuple[str | None, str | None, str | None, str | None, str | None, str]] = [
    # US "City, ST"
    ("Detroit, MI", None, "Detroit", "Michigan", "US", UN),
    ("Seattle, WA", "US", "Seattle", "Washington", "US", UN),
    ("Austin, TX", None, "Austin", "Texas", "US", UN),
    ("New York, NY", None, "New York", "New York", "US", UN),
    ("Boston, MA", None, "Boston", "Massachusetts", "US", UN),
    ("St Louis, MO", None, "St Louis", "Missouri", "US", UN),
    ("McLean, VA", None, "McLean", "Virginia", "US", UN),
    ("Chicago, IL", None, "Chicago", "Illinois", "US", UN),
    ("Atlanta, GA", None, "Atlanta", "Georgia", "US", UN),
    ("Denver, CO", None, "Denver", "Colorado", "US", UN),
    ("Portland, OR", None, "Portland", "Oregon", "US", UN),
    ("Washington, DC", None, "Washington", "District of Columbia", "US", UN),
    ("Fairfax County, VA", None, "Fairfax County", "Virginia", "US", UN),
    ("Salt Lake City, UT", None, "Salt Lake City", "Utah", "US", UN),
    ("Bronx, NY", "US", "Bronx", "New York", "US", UN),
    ("Floral Park, NY", "US", "Floral Park", "New York", "US", UN),
    ("Phoenix, AZ", None, "Phoenix", "Arizona", "US", UN),
    ("Miami, FL", None, "Miami", "Florida", "US", UN),
    ("Raleigh, N.C.", None, "Raleigh", "North Carolina", "US", UN),
    # US region and country names
    ("Indiana, United States", None, None, "Indiana", "US", UN),
    ("New Jersey, United States", "US", None, "New Jersey", "US", UN),
    ("District of Columbia, United States", "US", None, "District of Columbia", "US", UN),
    ("California", None, None, "California", "US", UN),
    ("Texas, United States", None, None, "Texas", "US", UN),
    ("Georgia, United States", None, None, "Georgia", "US", UN),
    ("Georgia", "US", None, "Georgia", "US", UN),
    ("Georgia", None, None, None, "GE", UN),
    ("United States", None, None, None, "US", UN),
    ("USA", None, None, None, "US", UN),
    ("Austin, Texas, United States", None, "Austin", "Texas", "US", UN),
    # US metro areas
    ("San Francisco Bay Area", None, "San Francisco", "California", "US", UN),
    ("New York City Metropolitan Area", None, "New York", "New York", "US", UN),
    ("Greater Chicago Area", None, "Chicago", "Illinois", "US", UN),
    ("Greater Seattle Area", None, "Seattle", "Washington", "US", UN),
    ("Dallas-Fort Worth Metroplex", None, "Dallas", "Texas", "US", UN),
    ("Greater Boston", None, "Boston", "Massachusetts", "US", UN),
    ("Los Angeles Metropolitan Area", None, "Los Angeles", "California", "US", UN),
    ("Washington DC-Baltimore Area", None, "Washington", "District of Columbia", "US", UN),
    # Canada
    ("Toronto, ON", None, "Toronto", "Ontario", "CA", UN),
    ("Vancouver, BC", None, "Vancouver", "British Columbia", "CA", UN),
    ("Montreal, QC", None, "Montreal", "Quebec", "CA", UN),
    ("Calgary, AB", "None", "Calgary", "Alberta", "CA", UN),
    ("Toronto, Ontario, Canada", None, "Toronto", "Ontario", "CA", UN),
    ("Ontario, Canada", None, None, "Ontario", "CA", UN),
    ("Canada", None, None, None, "CA", UN),
    ("Greater Toronto Area", None, "Toronto", "Ontario", "CA", UN),
    # UK and Ireland
    ("London, England, United Kingdom", None, "London", "England", "GB", UN),
    ("London Area, United Kingdom", None, "London", "England", "GB", UN),
    ("Greater London", None, "London", "England", "GB", UN),
    ("Scotland, United Kingdom", None, None, "Scotland", "GB", UN),
    ("Manchester, England, United Kingdom", None, "Manchester", "England", "GB", UN),
    ("Edinburgh, Scotland, United Kingdom", None, "Edinburgh", "Scotland", "GB", UN),
    ("United Kingdom", None, None, None, "GB", UN),
    ("UK", None, None, None, "GB", UN),
    ("Dublin, County Dublin, Ireland", None, "Dublin", "County Dublin", "IE", UN),
    ("Ireland", None, None, None, "IE", UN),
    # Europe
    ("Berlin, Berlin, Germany", None, "Berlin", "Berlin", "DE", UN),
    ("Munich, Bavaria, Germany", None, "Munich", "Bavaria", "DE", UN),
    ("München, Bayern, Deutschland", None, "München", "Bayern", "DE", UN),
    ("Paris, Île-de-France, France", None, "Paris", "Île-de-France", "FR", UN),
    ("Lyon, Auvergne-Rhône-Alpes, France", None, "Lyon", "Auvergne-Rhône-Alpes", "FR", UN),
    ("Greater Paris Metropolitan Region", None, "Paris", "Île-de-France", "FR", UN),
    ("Amsterdam, North Holland, Netherlands", None, "Amsterdam", "North Holland", "NL", UN),
    ("Madrid, Community of Madrid, Spain", None, "Madrid", "Community of Madrid", "ES", UN),
    ("Barcelona, Catalonia, España", None, "Barcelona", "Catalonia", "ES", UN),
    ("Lisbon, Lisbon, Portugal", None, "Lisbon", "Lisbon", "PT", UN),
    ("Milan, Lombardy, Italy", None, "Milan", "Lombardy", "IT", UN),
    ("Zurich, Zurich, Switzerland", None, "Zurich", "Zurich", "CH", UN),
    ("Vienna, Vienna, Austria", None, "Vienna", "Vienna", "AT", UN),
    ("Stockholm, Stockholm County, Sweden", None, "Stockholm", "Stockholm County", "SE", UN),
    ("Oslo, Oslo, Norway", None, "Oslo", "Oslo", "NO", UN),
    (
        "Copenhagen, Capital Region of Denmark, Denmark",
        None,
        "Copenhagen",
        "Capital Region of Denmark",
        "DK",
        UN,
    ),
    ("Helsinki, Uusimaa, Finland", None, "Helsinki", "Uusimaa", "FI", UN),
    ("Warsaw, Mazowieckie, Poland", None, "Warsaw", "Mazowieckie", "PL", UN),
    ("Prague, Prague, Czechia", None, "Prague", "Prague", "CZ", UN),
    ("Brno, South Moravia, Czech Republic", None, "Brno", "South Moravia", "CZ", UN),
    ("Zagreb, Zagreb, Croatia", None, "Zagreb", "Zagreb", "HR", UN),
    ("Liège, Walloon Region, Belgium", None, "Liège", "Walloon Region", "BE", UN),
    ("Belgium", None, None, None, "BE", UN),
    ("Istanbul, Istanbul, Türkiye", None, "Istanbul", "Istanbul", "TR", UN),
    ("Bucharest, Bucharest, Romania", None, "Bucharest", "Bucharest", "RO", UN),
    # Israel, Middle East, Africa
    ("Tel Aviv District, Israel", None, None, "Tel Aviv District", "IL", UN),
    ("Tel Aviv-Yafo, Tel Aviv District, Israel", None, "Tel Aviv-Yafo", "Tel Aviv District", "IL", UN),
    ("Herzliya, Tel Aviv District, Israel", "None", "Herzliya", "Tel Aviv District", "IL", UN),
    ("Center District, Israel", None, None, "Center District", "IL", UN),
    ("Dubai, Dubai, United Arab Emirates", None, "Dubai", "Dubai", "AE", UN),
    ("Cairo, Cairo, Egypt", None, "Cairo", "Cairo", "EG", UN),
    ("Cape Town, Western Cape, South Africa", None, "Cape Town", "Western Cape", "ZA", UN),
    ("Lagos, Lagos State, Nigeria", None, "Lagos", "Lagos State", "NG", UN),
    # Asia-Pacific
    ("Hyderabad, Telangana, India", None, "Hyderabad", "Telangana", "IN", UN),
    ("Bengaluru, Karnataka, India", None, "Bengaluru", "Karnataka", "IN", UN),
    ("Chennai, Tamil Nadu, India", None, "Chennai", "Tamil Nadu", "IN", UN),
    ("Greater Bengaluru Area", None, "Bengaluru", "Karnataka", "IN", UN),
    ("India", None, None, None, "IN", UN),
    ("Singapore", None, None, None, "SG", UN),
    ("Tokyo, Tokyo, Japan", None, "Tokyo", "Tokyo", "JP", UN),
    ("Seoul, Seoul, South Korea", None, "Seoul", "Seoul", "KR", UN),
    ("Sydney, New South Wales, Australia", None, "Sydney", "New South Wales", "AU", UN),
    ("Greater Sydney Area", None, "Sydney", "New South Wales", "AU", UN),
    ("Auckland, Auckland, New Zealand", None, "Auckland", "Auckland", "NZ", UN),
    ("Manila, National Capital Region, Philippines", None, "Manila", "National Capital Region", "PH", UN),
    # Latin America
    ("São Paulo, São Paulo, Brazil", None, "São Paulo", "São Paulo", "BR", UN),
    ("Sao Paulo, Sao Paulo, Brasil", None, "Sao Paulo", "Sao Paulo", "BR", UN),
    ("Brazil", None, None, None, "BR", UN),
    ("Medellín, Antioquia, Colombia", None, "Medellín", "Antioquia", "CO", UN),
    ("San Jose, Costa Rica", None, "San Jose", None, "CR", UN),
    ("Mexico City, Mexico", None, "Mexico City", None, "MX", UN),
    (
        "Buenos Aires, Buenos Aires Province, Argentina",
        None,
        "Buenos Aires",
        "Buenos Aires Province",
        "AR",
        UN,
    ),
    # multi-country areas
    ("EMEA", None, None, None, None, UN),
    ("Latin America", None, None, None, None, UN),
    ("European Union", None, None, None, None, UN),
    ("APAC", None, None, None, None, UN),
    ("Worldwide", None, None, None, None, UN),
    # work-model markers in the location
    ("Remote", None, None, None, None, R),
    ("United States (Remote)", None, None, None, "US", R),
    ("New York, NY (Hybrid)", None, "New York", "New York", "US", HY),
    ("London, England, United Kingdom (On-site)", None, "London", "England", "GB", ON),
    ("Remote - UK", None, None, None, "GB", R),
    ("Hybrid - Paris, France", None, "Paris", None, "FR", HY),
    ("Canada (Remote)", None, None, None, "CA", R),
    ("Berlin, Germany (Hybrid)", None, "Berlin", None, "DE", HY),
    # Bright Data's country_code wins when valid; junk codes are ignored
    ("Toronto, ON", "CA", "Toronto", "Ontario", "CA", UN),
    ("Remote", "US", None, None, "US", R),
    ("Somewhere", "FR", "Somewhere", None, "FR", UN),
    ("EMEA", "GB", None, None, "GB", UN),
    ("Detroit, MI", "nan", "Detroit", "Michigan", "US", UN),
    ("Detroit, MI", "ZZ", "Detroit", "Michigan", "US", UN),
    # empty and junk
    (None, None, None, None, None, UN),
    ("", None, None, None, None, UN),
    ("None", None, None, None, None, UN),
    ("nan", "US", None, None, "US", UN),
    (", ,", None, None, None, None, UN),
]


@pytest.mark.parametrize(
    ("job_location", "country_code", "city", "region", "country", "model"),
    LOCATION_CASES,
    ids=range(len(LOCATION_CASES)),
)
def test_location_table(job_location, country_code, city, region, country, model):
    assert parse_location(job_location, country_code) == LocationResult(city, region, country, model)


def test_table_is_large_enough():
    assert len(LOCATION_CASES) >= 100


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Remote Data Engineer", R),
        ("Senior Data Engineer (Remote)", R),
        ("Data Engineer - Hybrid", HY),
        ("Data Engineer (Hybrid)", HY),
        ("Data Engineer (On-site)", ON),
        ("Onsite Data Engineer", ON),
        ("Hybrid Cloud Engineer", UN),
        ("Remote Sensing Data Scientist", UN),
        ("Data Engineer", UN),
        (None, UN),
    ],
)
def test_work_model_from_title(title, expected):
    assert work_model_from_title(title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is a fully remote position open to candidates in the US.", R),
        ("We are a remote-first company.", R),
        ("You can work from home every day.", R),
        ("Location: Remote", R),
        ("100% remote, anywhere in Europe.", R),
        ("This is a hybrid role, 3 days in office per week.", HY),
        ("Hybrid working: 2 days a week in the office.", HY),
        ("You will spend 3 days per week in the office.", HY),
        ("This is not a remote role; you will be on-site in Austin.", ON),
        ("No remote work is available for this position.", ON),
        ("Remote work is not available.", ON),
        ("This position is on-site in our Detroit office.", ON),
        ("This is an in-office role.", ON),
        ("We use hybrid cloud infrastructure and remote sensing data.", UN),
        ("Collaborate with remote teams across time zones.", UN),
        ("Plain description without any location words.", UN),
        ("", UN),
        (None, UN),
    ],
)
def test_work_model_from_text(text, expected):
    assert work_model_from_text(text) == expected


def test_work_model_precedence_location_then_title_then_text():
    text = "This is a fully remote position."
    assert parse_location("Austin, TX (Hybrid)", title="Remote Data Engineer", text=text).work_model == HY
    assert parse_location("Austin, TX", title="Data Engineer (On-site)", text=text).work_model == ON
    assert parse_location("Austin, TX", title="Data Engineer", text=text).work_model == R
    assert parse_location("Austin, TX", title="Data Engineer", text=None).work_model == UN


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("US", "US"),
        ("us", "US"),
        (" gb ", "GB"),
        ("UK", "GB"),
        ("None", None),
        ("nan", None),
        ("", None),
        (None, None),
        (42, None),
        ("ZZ", None),
        ("USA", None),
    ],
)
def test_valid_country_code(value, expected):
    assert valid_country_code(value) == expected


def test_hostile_location_strings_do_not_fail():
    assert parse_location("x" * 100_000).country is None
    assert parse_location("," * 5000).city is None
    assert parse_location("\ud800 Paris, France").country == "FR"
    assert parse_location(12345).country is None  # type: ignore[arg-type]
    huge_text = ("Remote teams. " * 50_000) + "This is a hybrid role."
    assert parse_location("Paris, France", text=huge_text).work_model == HY
