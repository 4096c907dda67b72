"""The pipeline against loopback fakes of Bedrock Converse and an OpenAI-compatible server."""

from __future__ import annotations

import json

import pytest

from dej_platform.enrichment.cache import MemoryCache
from dej_platform.enrichment.execution import EnrichmentRunner, RetryPolicy, target_for
from dej_platform.enrichment.flatten import outcomes_to_frame
from dej_platform.enrichment.job import JobInput
from dej_platform.enrichment.providers.bedrock import BedrockProvider
from dej_platform.enrichment.providers.openai_compat import OpenAICompatibleProvider

from .conftest import (
    ANSWERS,
    PASS1_ANSWER,
    PASS2_ANSWER,
    PASS3_ANSWER,
    FakeServer,
    Reply,
    bedrock_error,
    chat_reply,
    converse_text,
    converse_tool,
)

GPT_OSS = "openai.gpt-oss-120b-1:0"
GEMMA = "google.gemma-3-27b-it"  # no tool use in the price table: answers come back as text


def _runner(provider, model_id: str, **kwargs) -> EnrichmentRunner:
    kwargs.setdefault("retry", RetryPolicy(max_attempts=3, base_delay_s=0.0))
    return EnrichmentRunner([target_for(provider, model_id)], sleep=lambda s: None, **kwargs)


def _bedrock(server: FakeServer) -> BedrockProvider:
    return BedrockProvider(region="us-east-1", endpoint_url=server.url)


def test_bedrock_tool_use_three_passes_success(fake_server: FakeServer, job: JobInput) -> None:
    fake_server.script(converse_tool(PASS1_ANSWER), converse_tool(PASS2_ANSWER), converse_tool(PASS3_ANSWER))
    report = _runner(_bedrock(fake_server), GPT_OSS).run([job])
    outcome = report.outcomes[0]
    assert [outcome.passes[p].status for p in (1, 2, 3)] == ["success"] * 3
    # The Converse request: the model id in the path, our tool with the answer schema, boto3 retries off.
    assert fake_server.paths[0] == f"/model/{GPT_OSS}/converse"
    first = fake_server.requests[0]
    assert first["toolConfig"]["toolChoice"] == {"tool": {"name": "record_answer"}}
    assert "salary_min" in first["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"]["properties"]
    assert first["inferenceConfig"]["maxTokens"] > 0
    # Pass 2 sees pass-1 facts as compact lines, not pasted JSON.
    second_user = fake_server.requests[1]["messages"][0]["content"][0]["text"]
    assert "salary_min=150000" in second_user and '"salary_min"' not in second_user
    # Tokens and cost come from the provider's usage and the price table ($0.15 / $0.60 per 1M).
    assert outcome.passes[1].tokens_in == 1500 and outcome.passes[1].tokens_out == 250
    assert outcome.passes[1].cost_usd == pytest.approx((1500 * 0.15 + 250 * 0.60) / 1e6)
    frame = outcomes_to_frame(report.outcomes)
    assert frame["ext_salary_max"][0] == 180000.0
    assert frame["inf_seniority_level"][0] == "senior" and frame["inf_seniority_level_confidence"][0] == 0.92
    assert frame["anl_strength_categories"][0].to_list() == ["transparent_salary", "modern_tech_stack"]


def test_bedrock_text_with_reasoning_and_fence_is_parsed(fake_server: FakeServer, job: JobInput) -> None:
    texts = [
        f"<reasoning>The posting says hybrid {{maybe}}.</reasoning>\n```json\n{json.dumps(ANSWERS[p], indent=2)}\n```"
        for p in (1, 2, 3)
    ]
    texts[1] = (
        "Here is the JSON:\n" + json.dumps(PASS2_ANSWER)[:-1] + ",}\nHope this helps."
    )  # trailing comma
    fake_server.script(*(converse_text(t) for t in texts))
    report = _runner(_bedrock(fake_server), GEMMA).run([job])
    assert [report.outcomes[0].passes[p].status for p in (1, 2, 3)] == ["success"] * 3
    assert "toolConfig" not in fake_server.requests[0]


def test_truncated_answer_is_repaired_once(fake_server: FakeServer, job: JobInput) -> None:
    cut = json.dumps(PASS1_ANSWER)[:120]
    fake_server.script(
        converse_text(cut, stop="max_tokens"),
        converse_text(json.dumps(PASS1_ANSWER)),
        converse_text(json.dumps(PASS2_ANSWER)),
        converse_text(json.dumps(PASS3_ANSWER)),
    )
    report = _runner(_bedrock(fake_server), GEMMA).run([job])
    first = report.outcomes[0].passes[1]
    assert first.status == "success" and first.error == "repaired: first answer was invalid"
    # The repair turn replays the cut answer and says what was wrong.
    repair_messages = fake_server.requests[1]["messages"]
    assert [m["role"] for m in repair_messages] == ["user", "assistant", "user"]
    assert "truncated" in repair_messages[2]["content"][0]["text"]
    assert first.tokens_in == 2400  # both calls are paid for


def test_off_list_enum_fails_after_one_repair_and_later_passes_skip(
    fake_server: FakeServer, job: JobInput
) -> None:
    bad = {**PASS1_ANSWER, "work_model_stated": "flexible"}
    fake_server.script(converse_text(json.dumps(bad)), converse_text(json.dumps(bad)))
    report = _runner(_bedrock(fake_server), GEMMA).run([job])
    passes = report.outcomes[0].passes
    assert passes[1].status == "failed"
    assert "invalid_answer" in passes[1].error and "work_model_stated" in passes[1].error
    assert "after 1 repair attempt" in passes[1].error
    assert passes[2].status == "skipped" and passes[2].error == "pass1_failed"
    assert passes[3].status == "skipped"
    assert len(fake_server.requests) == 2  # one call + one repair, nothing for passes 2 and 3
    frame = outcomes_to_frame(report.outcomes)
    assert frame["ext_work_model_stated"][0] is None and frame["pass1_status"][0] == "failed"


def test_off_list_enum_in_pass2_is_rejected(fake_server: FakeServer, job: JobInput) -> None:
    drift = json.loads(json.dumps(PASS2_ANSWER))
    drift["value"]["sub_specialty"] = "lakehouse"  # the seed leaked exactly this
    drift["confidence"]["sub_specialty"] = 0.8
    fake_server.script(converse_text(json.dumps(PASS1_ANSWER)), converse_text(json.dumps(drift)))
    report = _runner(_bedrock(fake_server), GEMMA).run([job])
    passes = report.outcomes[0].passes
    assert passes[1].status == "success"
    assert passes[2].status == "failed" and "sub_specialty" in passes[2].error
    assert passes[3].status == "skipped"


def test_throttling_is_retried_then_succeeds(fake_server: FakeServer, job: JobInput) -> None:
    fake_server.script(
        bedrock_error(429, "ThrottlingException", "Too many requests, please wait before trying again."),
        bedrock_error(503, "ServiceUnavailableException"),
        converse_tool(PASS1_ANSWER),
        converse_tool(PASS2_ANSWER),
        converse_tool(PASS3_ANSWER),
    )
    report = _runner(_bedrock(fake_server), GPT_OSS).run([job])
    assert [report.outcomes[0].passes[p].status for p in (1, 2, 3)] == ["success"] * 3
    assert len(fake_server.requests) == 5
    assert report.breaker_opens[GPT_OSS] == 0


def test_persistent_500_fails_and_opens_the_breaker(fake_server: FakeServer) -> None:
    fake_server.script(bedrock_error(500, "InternalServerException", "EngineCore encountered an issue"))
    jobs = [
        JobInput(
            job_posting_id=str(i),
            content_hash=f"h{i}",
            job_title="Data Engineer",
            job_description_text="Build pipelines.",
        )
        for i in range(6)
    ]
    runner = EnrichmentRunner(
        [target_for(_bedrock(fake_server), "openai.gpt-oss-20b-1:0")],
        retry=RetryPolicy(max_attempts=2, base_delay_s=0.0),
        breaker_threshold=2,
        sleep=lambda s: None,
    )
    runner.limiters["openai.gpt-oss-20b-1:0"].slots = __import__("threading").Semaphore(1)
    report = runner.run(jobs)
    errors = [o.passes[1].error for o in report.outcomes]
    assert all(o.passes[1].status == "failed" for o in report.outcomes)
    assert sum("server_error" in e for e in errors) == 2
    assert sum("circuit_open" in e for e in errors) == 4
    assert len(fake_server.requests) == 4  # 2 jobs x 2 attempts, then no more calls
    assert report.breaker_opens["openai.gpt-oss-20b-1:0"] == 1


def test_budget_stops_launching_calls(fake_server: FakeServer) -> None:
    fake_server.script(converse_tool(PASS1_ANSWER, tokens=(2000, 500)))
    jobs = [
        JobInput(
            job_posting_id=str(i),
            content_hash=f"b{i}",
            job_title="Data Engineer",
            job_description_text="Spark.",
        )
        for i in range(5)
    ]
    # Mistral Large 3: $2 / $6 per 1M. A pass-1 reservation is ~ (est_in*2 + 2000*6)/1e6 = ~$0.013.
    runner = EnrichmentRunner(
        [target_for(_bedrock(fake_server), "mistral.mistral-large-3-675b-instruct")],
        budget_usd=0.03,
        retry=RetryPolicy(max_attempts=1),
        sleep=lambda s: None,
    )
    report = runner.run(jobs)
    statuses = [o.passes[1].status for o in report.outcomes]
    assert "skipped" in statuses
    skipped = [o for o in report.outcomes if o.passes[1].status == "skipped"]
    assert all(o.passes[1].error.startswith("budget_exhausted") for o in skipped)
    assert report.spent_usd <= 0.03
    assert report.budget_refusals >= 1
    assert len(fake_server.requests) < 5 * 3


def test_openai_compatible_server(
    fake_server: FakeServer, job: JobInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEJ_OPENAI_BASE_URL", fake_server.url + "/v1")
    monkeypatch.setenv("DEJ_OPENAI_API_KEY", "sk-test-secret-123456")
    fake_server.script(
        Reply(429, {"error": {"message": "Rate limit reached"}}, {"Retry-After": "0"}),
        chat_reply("<think>\nThe user wants JSON.\n</think>\n" + json.dumps(PASS1_ANSWER)),
        chat_reply("```json\n" + json.dumps(PASS2_ANSWER) + "\n```"),
        chat_reply(json.dumps(PASS3_ANSWER)),
    )
    report = _runner(OpenAICompatibleProvider(), "qwen2.5:7b").run([job])
    assert [report.outcomes[0].passes[p].status for p in (1, 2, 3)] == ["success"] * 3
    assert fake_server.paths[0] == "/v1/chat/completions"
    body = fake_server.requests[1]
    assert body["model"] == "qwen2.5:7b"
    assert body["response_format"]["type"] == "json_schema"
    assert "value" in body["response_format"]["json_schema"]["schema"][
        "properties"
    ] or "salary_min" in json.dumps(body)


def test_openai_truncated_twice_fails_with_reason(
    fake_server: FakeServer, job: JobInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEJ_OPENAI_BASE_URL", fake_server.url + "/v1")
    fake_server.script(chat_reply(json.dumps(PASS1_ANSWER)[:90], finish="length"))
    report = _runner(OpenAICompatibleProvider(), "local-model").run([job])
    first = report.outcomes[0].passes[1]
    assert first.status == "failed" and first.error.startswith("truncated_answer")
    assert report.outcomes[0].passes[2].status == "skipped"


def test_rejected_request_is_not_retried_and_key_is_not_leaked(
    fake_server: FakeServer, job: JobInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEJ_OPENAI_BASE_URL", fake_server.url + "/v1")
    fake_server.script(
        Reply(401, {"error": {"message": "Incorrect API key provided: sk-test-secret-123456"}})
    )
    provider = OpenAICompatibleProvider(api_key="sk-test-secret-123456")
    report = _runner(provider, "gpt-4o-mini").run([job])
    error = report.outcomes[0].passes[1].error
    assert error.startswith("request_rejected") and "secret-123456" not in error
    assert len(fake_server.requests) == 1
    assert "secret" not in repr(provider)


def test_cache_makes_a_rescrape_free(fake_server: FakeServer, job: JobInput) -> None:
    fake_server.script(converse_tool(PASS1_ANSWER), converse_tool(PASS2_ANSWER), converse_tool(PASS3_ANSWER))
    cache = MemoryCache()
    _runner(_bedrock(fake_server), GPT_OSS, cache=cache).run([job])
    calls = len(fake_server.requests)
    later = job.model_copy(update={"job_posting_id": job.job_posting_id})  # same content, a later hour
    report = _runner(_bedrock(fake_server), GPT_OSS, cache=cache).run([later])
    assert len(fake_server.requests) == calls
    assert [report.outcomes[0].passes[p].status for p in (1, 2, 3)] == ["cached"] * 3
    assert report.spent_usd == 0.0
    # A new prompt version is a different cache key.
    assert (
        _runner(_bedrock(fake_server), GPT_OSS, cache=cache, prompt_version="v1").run([later]).cache_hits == 3
    )
