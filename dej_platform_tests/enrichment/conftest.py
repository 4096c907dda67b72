"""Loopback fakes of the Bedrock Converse API and of an OpenAI-compatible server, scripted per test.

Each fake answers POSTs from a queue of scripted replies (the last one repeats), records every request, binds
127.0.0.1 on a free port and stops when the test ends.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from dej_platform.enrichment.job import JobInput

POSTING = """About the role
We are hiring a Senior Data Engineer to build our lakehouse on AWS.
Responsibilities
- Build batch and streaming pipelines with Spark, Kafka and Airflow
- Own data quality checks and monitoring
Requirements
- 5+ years of experience in data engineering
- Strong Python and SQL
- Familiarity with dbt is a plus
- Bachelor's degree in Computer Science or equivalent experience
Compensation: $150,000 - $180,000 per year. This is a hybrid role (3 days in office).
We are unable to sponsor visas for this position.
Benefits: medical, dental, 401(k), unlimited PTO, stock options, learning budget.
"""


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeServer:
    url: str
    replies: list[Reply]
    requests: list[dict[str, Any]]
    paths: list[str]

    def script(self, *replies: Reply) -> None:
        self.replies[:] = list(replies)


def _serve(
    handler_replies: list[Reply], requests: list[dict[str, Any]], paths: list[str]
) -> ThreadingHTTPServer:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            with lock:
                paths.append(urllib.parse.unquote(self.path))
                try:
                    requests.append(json.loads(raw or b"{}"))
                except ValueError:
                    requests.append({"_raw": raw.decode("utf-8", "replace")})
                reply = handler_replies.pop(0) if len(handler_replies) > 1 else handler_replies[0]
            body = reply.body if isinstance(reply.body, bytes | str) else json.dumps(reply.body)
            data = body.encode() if isinstance(body, str) else body
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            return

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    replies: list[Reply] = [Reply(500, {"message": "no script"})]
    requests: list[dict[str, Any]] = []
    paths: list[str] = []
    server = _serve(replies, requests, paths)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield FakeServer(f"http://127.0.0.1:{server.server_address[1]}", replies, requests, paths)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- realistic answers -----------------------------------------------------------------------------------------
PASS1_ANSWER: dict[str, Any] = {
    "salary_disclosed": True,
    "salary_min": 150000,
    "salary_max": 180000,
    "salary_currency": "USD",
    "salary_period": "yearly",
    "visa_sponsorship_stated": "will_not_sponsor",
    "work_model_stated": "hybrid",
    "employment_type_stated": "full_time",
    "must_have_hard_skills": ["Python", "SQL", "Spark", "Kafka", "Airflow"],
    "nice_to_have_hard_skills": ["dbt"],
    "years_experience_min": 5,
    "education_level": "BACHELORS",
    "education_area": "Computer Science",
    "education_requirement": "or_equivalent",
    "equity_mentioned": True,
    "pto_policy": "unlimited",
}
PASS2_ANSWER: dict[str, Any] = {
    "value": {
        "seniority_level": "senior",
        "job_family": "data_engineer",
        "primary_cloud": "aws",
        "h1b_friendly": False,
    },
    "confidence": {"seniority_level": 0.92, "job_family": 0.97, "primary_cloud": 0.8, "h1b_friendly": 0.9},
    "evidence": {
        "seniority_level": "Senior Data Engineer, 5+ years",
        "h1b_friendly": "unable to sponsor visas",
    },
    "source": {"seniority_level": "combined", "job_family": "explicit", "h1b_friendly": "pass1_derived"},
}
PASS3_ANSWER: dict[str, Any] = {
    "value": {"data_maturity_score": 4, "data_maturity_level": "managed", "competition_level": "high"},
    "confidence": {"data_maturity_score": 0.7, "data_maturity_level": 0.7, "competition_level": 0.9},
    "evidence": {"competition_level": "120 applicants"},
    "source": {"competition_level": "explicit"},
    "summary": {
        "strength_categories": ["transparent_salary", "modern_tech_stack"],
        "concern_categories": ["no_visa_sponsorship"],
        "overall_assessment": "A well-paid senior role on a modern stack. No visa sponsorship.",
        "recommendation_score": 0.75,
        "recommendation_confidence": 0.7,
    },
}
ANSWERS = {1: PASS1_ANSWER, 2: PASS2_ANSWER, 3: PASS3_ANSWER}


def converse_text(text: str, stop: str = "end_turn", tokens: tuple[int, int] = (1200, 300)) -> Reply:
    return Reply(
        200,
        {
            "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
            "stopReason": stop,
            "usage": {"inputTokens": tokens[0], "outputTokens": tokens[1], "totalTokens": sum(tokens)},
            "metrics": {"latencyMs": 900},
        },
    )


def converse_tool(obj: dict[str, Any], tokens: tuple[int, int] = (1500, 250)) -> Reply:
    content = [
        {"reasoningContent": {"reasoningText": {"text": "Let me look at the posting."}}},
        {"toolUse": {"toolUseId": "tooluse_1", "name": "record_answer", "input": obj}},
    ]
    return Reply(
        200,
        {
            "output": {"message": {"role": "assistant", "content": content}},
            "stopReason": "tool_use",
            "usage": {"inputTokens": tokens[0], "outputTokens": tokens[1], "totalTokens": sum(tokens)},
            "metrics": {"latencyMs": 700},
        },
    )


def bedrock_error(status: int, code: str, message: str = "") -> Reply:
    return Reply(
        status, {"message": message or code}, {"x-amzn-ErrorType": f"{code}:http://internal.amazon.com/"}
    )


def chat_reply(content: str, finish: str = "stop", tokens: tuple[int, int] = (1100, 280)) -> Reply:
    return Reply(
        200,
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}
            ],
            "usage": {
                "prompt_tokens": tokens[0],
                "completion_tokens": tokens[1],
                "total_tokens": sum(tokens),
            },
        },
    )


@pytest.fixture
def job() -> JobInput:
    return JobInput(
        job_posting_id="4300000001",
        content_hash="hash-senior-de",
        job_title="Senior Data Engineer",
        company_name="Acme Data",
        job_location="Austin, TX",
        job_description_text=POSTING,
        job_num_applicants=120,
    )
