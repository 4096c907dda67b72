"""Word lists for the emulator's synthetic LinkedIn postings (our own invented text; companies are fictional)."""

from __future__ import annotations

from typing import NamedTuple


class Place(NamedTuple):
    location: str  # LinkedIn's `job_location` text
    country: str  # ISO 3166 alpha-2
    subdomain: str  # LinkedIn country subdomain used in view URLs
    salary_style: str  # key of SALARY_TEXTS
    language: str  # en | pt | de | es | fr


PLACES: tuple[Place, ...] = (
    Place("San Francisco, CA", "US", "www", "usd", "en"),
    Place("New York, NY", "US", "www", "usd", "en"),
    Place("Austin, TX", "US", "www", "usd", "en"),
    Place("Seattle, WA", "US", "www", "usd", "en"),
    Place("Chicago, IL", "US", "www", "usd", "en"),
    Place("Boston, MA", "US", "www", "usd", "en"),
    Place("Denver, CO", "US", "www", "usd", "en"),
    Place("Atlanta, GA", "US", "www", "usd", "en"),
    Place("Raleigh, NC", "US", "www", "usd", "en"),
    Place("Detroit, MI", "US", "www", "usd_hourly", "en"),
    Place("Charlotte, NC", "US", "www", "usd_hourly", "en"),
    Place("United States", "US", "www", "usd", "en"),
    Place("Toronto, Ontario, Canada", "CA", "ca", "cad", "en"),
    Place("Vancouver, British Columbia, Canada", "CA", "ca", "cad", "en"),
    Place("Montreal, Quebec, Canada", "CA", "ca", "cad", "fr"),
    Place("São Paulo, São Paulo, Brazil", "BR", "br", "brl", "pt"),
    Place("Rio de Janeiro, Rio de Janeiro, Brazil", "BR", "br", "brl", "pt"),
    Place("Belo Horizonte, Minas Gerais, Brazil", "BR", "br", "brl", "pt"),
    Place("Florianópolis, Santa Catarina, Brazil", "BR", "br", "brl", "pt"),
    Place("Curitiba, Paraná, Brazil", "BR", "br", "brl", "pt"),
    Place("Brazil", "BR", "br", "brl", "pt"),
    Place("London, England, United Kingdom", "GB", "uk", "gbp", "en"),
    Place("Manchester, England, United Kingdom", "GB", "uk", "gbp_daily", "en"),
    Place("Edinburgh, Scotland, United Kingdom", "GB", "uk", "gbp", "en"),
    Place("Berlin, Berlin, Germany", "DE", "de", "eur_de", "de"),
    Place("Munich, Bavaria, Germany", "DE", "de", "eur_de", "de"),
    Place("Hamburg, Germany", "DE", "de", "eur_de", "en"),
    Place("Paris, Île-de-France, France", "FR", "fr", "eur_fr", "fr"),
    Place("Amsterdam, North Holland, Netherlands", "NL", "nl", "eur", "en"),
    Place("Madrid, Community of Madrid, Spain", "ES", "es", "eur", "es"),
    Place("Barcelona, Catalonia, Spain", "ES", "es", "eur", "en"),
    Place("Lisbon, Lisbon, Portugal", "PT", "pt", "eur", "en"),
    Place("Dublin, County Dublin, Ireland", "IE", "ie", "eur", "en"),
    Place("Warsaw, Mazowieckie, Poland", "PL", "pl", "pln", "en"),
    Place("Kraków, Małopolskie, Poland", "PL", "pl", "pln", "en"),
    Place("Zurich, Zurich, Switzerland", "CH", "ch", "chf", "en"),
    Place("Stockholm, Stockholm County, Sweden", "SE", "se", "eur", "en"),
    Place("Bengaluru, Karnataka, India", "IN", "in", "inr", "en"),
    Place("Hyderabad, Telangana, India", "IN", "in", "inr", "en"),
    Place("Pune, Maharashtra, India", "IN", "in", "inr", "en"),
    Place("Gurugram, Haryana, India", "IN", "in", "inr", "en"),
    Place("Singapore, Singapore", "SG", "sg", "sgd", "en"),
    Place("Sydney, New South Wales, Australia", "AU", "au", "aud", "en"),
    Place("Melbourne, Victoria, Australia", "AU", "au", "aud", "en"),
    Place("Mexico City, Mexico", "MX", "mx", "mxn", "es"),
    Place("Guadalajara, Jalisco, Mexico", "MX", "mx", "mxn", "es"),
    Place("Buenos Aires, Buenos Aires Province, Argentina", "AR", "ar", "usd_contract", "es"),
    Place("Bogotá, D.C., Capital District, Colombia", "CO", "co", "usd_contract", "es"),
    Place("Santiago, Santiago Metropolitan Region, Chile", "CL", "cl", "usd_contract", "es"),
    Place("Dubai, United Arab Emirates", "AE", "ae", "aed", "en"),
    Place("Tel Aviv-Yafo, Tel Aviv District, Israel", "IL", "il", "none", "en"),
    Place("Tokyo, Japan", "JP", "jp", "jpy", "en"),
    Place("Cape Town, Western Cape, South Africa", "ZA", "za", "zar", "en"),
    Place("Lagos, Lagos State, Nigeria", "NG", "ng", "none", "en"),
    Place("Manila, National Capital Region, Philippines", "PH", "ph", "none", "en"),
)

TITLES_EN = (
    ("Data Engineer", "Mid-Senior level"),
    ("Senior Data Engineer", "Mid-Senior level"),
    ("Sr. Data Engineer", "Mid-Senior level"),
    ("Staff Data Engineer", "Mid-Senior level"),
    ("Principal Data Engineer", "Director"),
    ("Lead Data Engineer", "Mid-Senior level"),
    ("Junior Data Engineer", "Entry level"),
    ("Data Engineer II", "Associate"),
    ("Data Engineer I", "Entry level"),
    ("Associate Data Engineer", "Associate"),
    ("Analytics Engineer", "Mid-Senior level"),
    ("Senior Analytics Engineer", "Mid-Senior level"),
    ("Big Data Engineer", "Mid-Senior level"),
    ("Data Platform Engineer", "Mid-Senior level"),
    ("Cloud Data Engineer", "Mid-Senior level"),
    ("ETL Developer", "Associate"),
    ("Data Engineer - AWS", "Mid-Senior level"),
    ("Azure Data Engineer", "Mid-Senior level"),
    ("GCP Data Engineer", "Mid-Senior level"),
    ("Senior Data Engineer (Remote)", "Mid-Senior level"),
    ("Data Engineering Manager", "Director"),
    ("Head of Data Engineering", "Executive"),
    ("Machine Learning Data Engineer", "Mid-Senior level"),
    ("Data Engineer Intern", "Internship"),
    ("Data Engineering Intern - Summer 2026", "Internship"),
    ("Data Engineer – Contract", "Not Applicable"),
    ("Databricks Data Engineer", "Mid-Senior level"),
    ("Snowflake Data Engineer", "Mid-Senior level"),
    ("Streaming Data Engineer (Kafka/Flink)", "Mid-Senior level"),
    ("Software Engineer, Data", "Mid-Senior level"),
)
TITLES_PT = (
    ("Engenheiro de Dados", "Mid-Senior level"),
    ("Engenheiro de Dados Sênior", "Mid-Senior level"),
    ("Engenheiro(a) de Dados Pleno", "Associate"),
    ("Engenheira de Dados Júnior", "Entry level"),
    ("Pessoa Engenheira de Dados", "Mid-Senior level"),
    ("Estágio em Engenharia de Dados", "Internship"),
    ("Data Engineer (Remoto)", "Mid-Senior level"),
)
TITLES_DE = (
    ("Data Engineer (m/w/d)", "Mid-Senior level"),
    ("Senior Data Engineer (w/m/d)", "Mid-Senior level"),
)
TITLES_FR = (
    ("Ingénieur Data (H/F)", "Mid-Senior level"),
    ("Data Engineer Confirmé (F/H)", "Mid-Senior level"),
)
TITLES_ES = (("Ingeniero de Datos", "Mid-Senior level"), ("Ingeniero/a de Datos Senior", "Mid-Senior level"))

SENIORITY_NOISE = ("Not Applicable", "Entry level", "Associate", "Mid-Senior level")

COMPANIES = (
    "Northwind Analytics",
    "Bluefin Data",
    "Kestrel Bank",
    "Veridian Health",
    "Orbital Freight",
    "Lumen Retail Group",
    "Cobalt Insurance",
    "Harbor Telecom",
    "Quantica Labs",
    "Pinecrest Energy",
    "Solstice Media",
    "Brightwave Systems",
    "Meridian Payments",
    "Atlas Mobility",
    "Fernhill Biotech",
    "Granite Capital",
    "Nimbus Cloudworks",
    "Redwood Logistics",
    "Saffron Foods",
    "Tidewater Shipping",
    "Umbra Security",
    "Vantage Travel",
    "Willow Education",
    "Zephyr Games",
    "Andes Fintech",
    "Ipê Tecnologia",
    "Cerrado Agro",
    "Paulista Seguros",
    "Banco Aurora",
    "Mercado Sol",
    "Rheinwerk Digital",
    "Alpenblick Versicherung",
    "Seine Analytique",
    "Canal Data Partners",
    "Tulip Commerce",
    "Vistula Software",
    "Liffey Health",
    "Thames Capital Markets",
    "Highland Renewables",
    "Maple Leaf Grocers",
    "Cascadia Robotics",
    "Lone Star Utilities",
    "Peachtree Marketing",
    "Great Lakes Manufacturing",
    "Sakura Mobility",
    "Kiwi Ledger",
    "Outback Mining Co.",
    "Lion City Trading",
    "Deccan Infotech",
    "Indigo Consulting Services",
    "Marina Hospitality",
    "Sahara Logistics",
    "Table Mountain Fintech",
    "Pampas Agritech",
    "Andino Retail",
    "Cortex Staffing",
    "TalentHarbor Recruiting",
    "DataBridge Consulting",
    "Stacksmith IT Services",
    "Helix Genomics",
)
STAFFING = {"Cortex Staffing", "TalentHarbor Recruiting", "DataBridge Consulting", "Stacksmith IT Services"}

INDUSTRIES = (
    "Software Development",
    "IT Services and IT Consulting",
    "Financial Services",
    "Staffing and Recruiting",
    "Hospitals and Health Care",
    "Retail",
    "Banking",
    "Insurance",
    "Technology, Information and Internet",
    "Telecommunications",
    "Oil and Gas",
    "Biotechnology Research",
    "Government Administration",
    "Transportation, Logistics, Supply Chain and Storage",
    "Computer Games",
    "Education",
    "Renewable Energy",
    "Manufacturing",
    "Advertising Services",
    "Food and Beverage Services",
)
FUNCTIONS = (
    "Information Technology",
    "Engineering and Information Technology",
    "Engineering",
    "Analyst",
    "Other",
    "Research, Analyst, and Information Technology",
    "Consulting and Information Technology",
)
EMPLOYMENT_TYPES = (
    ("Full-time", 70),
    ("Contract", 15),
    ("Part-time", 3),
    ("Internship", 4),
    ("Temporary", 4),
    ("Other", 2),
    ("Volunteer", 1),
)

SKILLS = (
    "Python",
    "SQL",
    "Apache Spark",
    "PySpark",
    "Apache Airflow",
    "dbt",
    "Apache Kafka",
    "Snowflake",
    "Databricks",
    "BigQuery",
    "Amazon Redshift",
    "AWS Glue",
    "Amazon S3",
    "AWS Lambda",
    "Amazon EMR",
    "Azure Data Factory",
    "Azure Synapse",
    "Google Cloud Platform",
    "Terraform",
    "Docker",
    "Kubernetes",
    "Scala",
    "Java",
    "Delta Lake",
    "Apache Iceberg",
    "Apache Flink",
    "Dagster",
    "Prefect",
    "Looker",
    "Tableau",
    "Power BI",
    "PostgreSQL",
    "MongoDB",
    "Fivetran",
    "Great Expectations",
    "Git",
    "CI/CD",
    "Trino",
    "DuckDB",
    "Apache Hudi",
    "Kinesis",
    "Pub/Sub",
    "Microsoft Fabric",
    "Go",
    "Rust",
    "Polars",
    "pandas",
    "Elasticsearch",
    "Cassandra",
    "Redis",
)

RESPONSIBILITY_TEMPLATES = (
    "Design, build and operate batch and streaming pipelines with {s1} and {s2}",
    "Own our lakehouse on {s1}: modelling, partitioning, performance and cost",
    "Build reliable ELT workflows orchestrated with {s1}",
    "Partner with analysts & data scientists to deliver trusted datasets",
    "Implement data-quality checks and observability with {s1}",
    "Migrate legacy ETL jobs to {s1} and {s2}",
    "Write clean, tested {s1} code and review your teammates' pull requests",
    "Model data for analytics in {s1} (dimensional models, slowly changing dimensions)",
    "Automate infrastructure with {s1} and ship through CI/CD",
    "Tune {s1} jobs that process billions of events a day",
    "Define data contracts with product teams and document the data catalog",
    "Take part in an on-call rotation for the data platform",
    "Mentor junior engineers and lead technical design reviews",
    "Ingest data from APIs, CDC streams and files into {s1}",
)
REQUIREMENT_TEMPLATES = (
    "{years}+ years of experience as a Data Engineer or in a similar role",
    "Strong {s1} and {s2} skills",
    "Hands-on experience with {s1} in production",
    "Experience with a major cloud provider (AWS, Azure or GCP)",
    "Solid understanding of data modelling, data warehousing and ETL/ELT patterns",
    "Experience with orchestration tools such as {s1}",
    "Bachelor's degree in Computer Science, Engineering or a related field",
    "Fluent English; you'll work with teams across time zones",
    "Comfortable with Linux, Git and code reviews",
    "Experience with streaming technologies ({s1}, {s2})",
    "Knowledge of data governance, privacy (GDPR) and security best practices",
)
NICE_TO_HAVE_TEMPLATES = (
    "Experience with {s1}",
    "Certification in {s1} or a cloud data platform",
    "Exposure to machine-learning pipelines and feature stores",
    "Contributions to open-source data tools",
    "Experience in a fast-growing start-up",
    "Knowledge of {s1} and {s2}",
    "Master's degree in a quantitative field",
)
BENEFITS_EN = (
    "Health, dental and vision insurance",
    "401(k) with company match",
    "Unlimited PTO",
    "25 days of paid holiday plus public holidays",
    "Stock options / RSUs",
    "Annual learning budget of {money}",
    "Home-office setup allowance",
    "Paid parental leave",
    "Wellness stipend and gym membership",
    "Annual performance bonus",
    "Flexible working hours",
    "Private pension plan",
)
BENEFITS_PT = (
    "Plano de saúde e odontológico",
    "Vale-refeição / vale-alimentação",
    "Participação nos lucros (PLR)",
    "Auxílio home office",
    "Gympass",
    "Day off no aniversário",
    "Previdência privada",
)

SECTION_HEADINGS_EN = {
    "about": ("About us", "Who we are", "About the company", "A bit about us"),
    "role": ("About the role", "The role", "Your mission", "The opportunity"),
    "responsibilities": (
        "Responsibilities",
        "What you'll do",
        "Key Responsibilities",
        "Your responsibilities",
    ),
    "requirements": ("Requirements", "What we're looking for", "Qualifications", "Must have"),
    "nice": ("Nice to have", "Bonus points", "Preferred Qualifications", "Nice-to-haves"),
    "benefits": ("Benefits", "What we offer", "Perks & Benefits", "Why join us"),
}
SECTION_HEADINGS_PT = {
    "about": ("Sobre nós", "Quem somos"),
    "role": ("Sobre a vaga", "Sua missão"),
    "responsibilities": ("Responsabilidades", "O que você vai fazer", "Atribuições"),
    "requirements": ("Requisitos", "Requisitos e qualificações", "O que esperamos de você"),
    "nice": ("Diferenciais", "Será um diferencial"),
    "benefits": ("Benefícios", "O que oferecemos"),
}
RESPONSIBILITY_PT = (
    "Desenvolver e manter pipelines de dados com {s1} e {s2}",
    "Modelar dados no data lake / lakehouse em {s1}",
    "Garantir a qualidade e a governança dos dados",
    "Orquestrar fluxos de ETL/ELT com {s1}",
    "Trabalhar junto com times de produto, analytics e ciência de dados",
)
REQUIREMENT_PT = (
    "Experiência de {years}+ anos com engenharia de dados",
    "Domínio de {s1} e {s2}",
    "Vivência com nuvem (AWS, Azure ou GCP)",
    "Inglês intermediário ou avançado",
    "Formação superior em Computação, Engenharia ou áreas afins",
)

ABOUT_TEMPLATES = (
    "{company} is a {industry_lc} company helping millions of customers across {region}. Our data team turns "
    "raw events into decisions that matter.",
    "At {company}, we're building the next generation of {industry_lc} products. We're a team of {size} people "
    "who care about craft, autonomy and impact.",
    "{company} partners with leading organisations to modernise their data platforms. We've grown {growth}% year "
    "over year and we're hiring.",
)
ABOUT_PT = (
    "A {company} é uma empresa de {industry_lc} com atuação em todo o Brasil. Nosso time de dados é peça-chave "
    "para a estratégia do negócio.",
)
ROLE_TEMPLATES = (
    "As a {title}, you'll join the Data Platform team and own the pipelines that feed our analytics and "
    "machine-learning products.",
    "We're looking for a {title} to help us scale a modern data stack built on {s1}, {s2} and {s3}.",
    "You'll work closely with analytics engineers and product managers to make data reliable, discoverable "
    "and fast.",
)

REMOTE_STATEMENTS = {
    "remote": (
        "This role is fully remote within {country_name}.",
        "Remote-first: work from anywhere in the {tz} time zones.",
        "100% remote position.",
    ),
    "hybrid": (
        "Hybrid: 3 days a week in our {city} office.",
        "This is a hybrid role based in {city} (2 days on-site per week).",
    ),
    "on_site": (
        "This position is on-site in {city}.",
        "You'll work from our {city} office five days a week.",
    ),
}
REMOTE_PT = {
    "remote": ("Modelo de trabalho 100% remoto.",),
    "hybrid": ("Modelo híbrido: 2x por semana no escritório em {city}.",),
    "on_site": ("Trabalho presencial em {city}.",),
}
VISA_STATEMENTS = {
    "sponsor": (
        "Visa sponsorship is available for this position.",
        "We sponsor work visas and offer relocation support.",
        "Relocation package and visa sponsorship provided.",
    ),
    "no_sponsor": (
        "We are unable to sponsor employment visas now or in the future.",
        "Applicants must be authorized to work in {country_name} without sponsorship.",
        "This role does not offer visa sponsorship.",
    ),
}
EEO_STATEMENTS = (
    "{company} is an equal opportunity employer. We celebrate diversity and are committed to an inclusive "
    "environment for all employees.",
    "We welcome applicants of all backgrounds & abilities; let us know if you need any accommodation during the "
    "hiring process.",
)
COUNTRY_NAMES = {
    "US": "the United States",
    "CA": "Canada",
    "BR": "Brazil",
    "GB": "the United Kingdom",
    "DE": "Germany",
    "FR": "France",
    "NL": "the Netherlands",
    "ES": "Spain",
    "PT": "Portugal",
    "IE": "Ireland",
    "PL": "Poland",
    "CH": "Switzerland",
    "SE": "Sweden",
    "IN": "India",
    "SG": "Singapore",
    "AU": "Australia",
    "MX": "Mexico",
    "AR": "Argentina",
    "CO": "Colombia",
    "CL": "Chile",
    "AE": "the United Arab Emirates",
    "IL": "Israel",
    "JP": "Japan",
    "ZA": "South Africa",
    "NG": "Nigeria",
    "PH": "the Philippines",
}
TIME_ZONES = {"US": "US", "CA": "North American", "BR": "Brazilian", "GB": "European", "IN": "Indian"}

# Salary text per style: (template, low range, high range, step). {lo}/{hi} are formatted per style.
SALARY_TEXTS: dict[str, tuple[tuple[str, int, int, int], ...]] = {
    "usd": (
        ("The base salary range for this role is ${lo} - ${hi} per year.", 95_000, 240_000, 5_000),
        ("Compensation: ${lo}–${hi} USD annually, plus equity and bonus.", 110_000, 260_000, 5_000),
        ("Pay range: ${lo} to ${hi} a year, depending on experience and location.", 85_000, 210_000, 5_000),
    ),
    "usd_hourly": (("Rate: ${lo}/hr - ${hi}/hr on W2.", 45, 110, 5),),
    "usd_contract": (
        ("Contract in USD: ${lo} - ${hi} per month, paid as an independent contractor.", 3_000, 8_000, 250),
    ),
    "cad": (("Salary range: CA${lo} – CA${hi} per year.", 85_000, 170_000, 5_000),),
    "brl": (
        ("Faixa salarial: R$ {lo} a R$ {hi} por mês (CLT).", 8_000, 28_000, 500),
        ("Remuneração PJ: R$ {lo} – R$ {hi}/mês.", 12_000, 35_000, 500),
    ),
    "gbp": (("Salary: £{lo} - £{hi} per annum + bonus.", 50_000, 120_000, 2_500),),
    "gbp_daily": (("Day rate: £{lo} - £{hi} per day (outside IR35).", 450, 800, 25),),
    "eur": (("Salary: €{lo} – €{hi} gross per year.", 50_000, 110_000, 2_500),),
    "eur_de": (("Gehalt: {lo} € – {hi} € brutto pro Jahr.", 60_000, 110_000, 2_500),),
    "eur_fr": (("Rémunération : {lo} k€ - {hi} k€ brut annuel.", 45, 85, 1),),
    "pln": (
        (
            "Salary: {lo} – {hi} PLN net/month (B2B) or equivalent on a contract of employment.",
            15_000,
            35_000,
            500,
        ),
    ),
    "chf": (("Salary: CHF {lo} – {hi} per year.", 110_000, 180_000, 5_000),),
    "inr": (("CTC: ₹{lo} LPA - ₹{hi} LPA.", 12, 60, 1),),
    "sgd": (("Salary: SGD {lo} - {hi} monthly.", 6_000, 14_000, 500),),
    "aud": (("AU${lo}k – AU${hi}k + super.", 130, 210, 5),),
    "mxn": (("Sueldo: MXN ${lo} - ${hi} mensuales brutos.", 45_000, 110_000, 5_000),),
    "aed": (("Package: AED {lo} – {hi} per month, tax-free.", 20_000, 45_000, 1_000),),
    "jpy": (("Annual salary: ¥{lo} - ¥{hi}.", 7_000_000, 14_000_000, 500_000),),
    "zar": (("Salary: R{lo} - R{hi} per month (cost to company).", 45_000, 110_000, 5_000),),
    "none": (),
}
# Structured base_salary currency symbol and period by style (as LinkedIn shows it), for the records that carry one.
STRUCTURED_SALARY = {
    "usd": ("$", "yr"),
    "usd_hourly": ("$", "hr"),
    "cad": ("CA$", "yr"),
    "gbp": ("£", "yr"),
    "eur": ("€", "yr"),
    "eur_de": ("€", "yr"),
    "brl": ("R$", "mo"),
    "inr": ("₹", "yr"),
    "aud": ("A$", "yr"),
}

FIRST_NAMES = (
    "Maria",
    "João",
    "Aisha",
    "Wei",
    "Priya",
    "Lucas",
    "Emma",
    "Carlos",
    "Fatima",
    "Liam",
    "Sofia",
    "Arjun",
    "Hannah",
    "Mateus",
    "Chloe",
    "Kenji",
    "Olivia",
    "Diego",
    "Zara",
    "Noah",
)
LAST_NAMES = (
    "Souza",
    "Silva",
    "Khan",
    "Chen",
    "Sharma",
    "Oliveira",
    "Müller",
    "García",
    "Haddad",
    "O'Brien",
    "Rossi",
    "Patel",
    "Schmidt",
    "Santos",
    "Martin",
    "Tanaka",
    "Johnson",
    "Fernández",
    "Ahmed",
    "Brown",
)
POSTER_TITLES = (
    "Talent Acquisition Partner",
    "Technical Recruiter",
    "Head of Data",
    "Engineering Manager",
    "Senior Recruiter",
    "Tech Recruiter | We're hiring!",
)
