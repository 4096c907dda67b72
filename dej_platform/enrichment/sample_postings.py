"""Generated job postings of realistic shape and length, for the token benchmark and tests (our own text)."""

from __future__ import annotations

import random

_TITLES = ("Data Engineer", "Senior Data Engineer", "Staff Data Engineer", "Analytics Engineer", "Data Platform Engineer",
           "Junior Data Engineer", "Lead Data Engineer", "Big Data Engineer")  # fmt: skip
_COMPANIES = (
    "Northwind Analytics",
    "Bluefin Health",
    "Orbital Freight",
    "Cedar Bank",
    "Kestrel Games",
    "Lumen Retail",
)
_LOCATIONS = ("Austin, TX", "New York, NY", "Remote, US", "London, UK", "Toronto, ON", "Berlin, Germany")
_STACK = ("Python", "SQL", "Spark", "Airflow", "dbt", "Kafka", "Snowflake", "BigQuery", "Databricks", "AWS Glue",
          "Terraform", "Kubernetes", "Flink", "Delta Lake", "Iceberg", "Redshift", "Looker", "Dagster", "Scala")  # fmt: skip
_DUTIES = (
    "Design, build and operate batch and streaming pipelines that feed analytics and product features",
    "Model data in the warehouse with clear, tested and documented transformations",
    "Own data quality checks, lineage and alerting for the datasets your team publishes",
    "Partner with analysts, data scientists and product managers to turn questions into reliable datasets",
    "Improve the performance and cost of our Spark and SQL workloads",
    "Automate infrastructure with Terraform and CI/CD so changes ship safely",
    "Mentor engineers through code review, pairing and design discussions",
    "Migrate legacy ETL jobs to the new lakehouse platform",
    "Build self-serve tooling that lets other teams publish data products",
    "Take part in a light on-call rotation for the pipelines the team owns",
)
_ABOUT = (
    "We are a growing company that helps thousands of customers make better decisions with data. Our data team of "
    "about twelve engineers builds the platform that every product team relies on, and we are expanding it this year."
)
_BENEFITS = (
    "Medical, dental and vision insurance for you and your family",
    "401(k) with a 4% company match",
    "Unlimited PTO and twelve company holidays",
    "Annual learning budget for courses, books and conferences",
    "Stock options in a fast-growing company",
    "Home office stipend and a choice of laptop",
    "Sixteen weeks of paid parental leave",
)
_EEO = (
    "We are an equal opportunity employer and value diversity at our company. We do not discriminate on the basis of "
    "race, religion, color, national origin, gender, sexual orientation, age, marital status, veteran status, or "
    "disability status. We will provide reasonable accommodation to individuals with disabilities during the "
    "application process."
)


def generate_posting(rng: random.Random, target_chars: int = 4_000) -> dict[str, object]:
    """One posting: title, company, location and a structured description of about `target_chars`."""
    stack = rng.sample(_STACK, 8)
    years = rng.choice((2, 3, 4, 5, 6, 8))
    low = rng.choice((110, 120, 135, 150, 165))
    lines = ["About us", _ABOUT, "", "The role",
             f"As a {rng.choice(_TITLES)} you will join the data platform team and work with {', '.join(stack[:4])}.",
             "", "What you will do"]  # fmt: skip
    lines += [f"- {duty}" for duty in rng.sample(_DUTIES, 7)]
    lines += ["", "What you bring", f"- {years}+ years of experience in data engineering or a similar role",
              f"- Strong {stack[0]} and {stack[1]} skills", f"- Hands-on experience with {stack[2]} and {stack[3]}",
              f"- Familiarity with {stack[4]} is a plus", f"- Exposure to {stack[5]} or {stack[6]} is nice to have",
              "- Clear written and spoken communication and a habit of documenting decisions",
              "- Bachelor's degree in Computer Science, Engineering or a related field, or equivalent experience",
              "", "Compensation and benefits",
              f"The base salary range for this role is ${low},000 - ${low + 40},000 per year plus an annual bonus."]  # fmt: skip
    lines += [f"- {b}" for b in rng.sample(_BENEFITS, 5)]
    lines += ["", rng.choice(("This is a hybrid role with three days a week in our office.",
                              "This role is fully remote within the United States.",
                              "This is an on-site role at our downtown office.")),
              rng.choice(("We are unable to sponsor visas for this position.",
                          "Visa sponsorship is available for this role.",
                          "Candidates must be authorized to work in the country of the role.")),
              "", _EEO]  # fmt: skip
    text = "\n".join(lines)
    filler = list(_DUTIES)
    while len(text) < target_chars:
        text += (
            "\n- " + filler[rng.randrange(len(filler))] + " across our " + rng.choice(stack) + " workloads."
        )
    return {
        "job_title": rng.choice(_TITLES),
        "company_name": rng.choice(_COMPANIES),
        "job_location": rng.choice(_LOCATIONS),
        "job_description_text": text[: target_chars + 200],
        "job_num_applicants": rng.choice((8, 25, 60, 140, 320)),
    }
