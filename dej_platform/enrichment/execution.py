"""Running the three passes over many jobs: limits, retries, circuit breaker, budget, cache, repair.

Guarantees (each one a fix of a seed defect):
- A pass is `success` only when its answer validated against the pass model; otherwise `failed` with the reason.
  An invalid answer gets exactly one repair turn carrying the validation errors.
- A later pass of a failed or skipped job is `skipped` (never fed nulls).
- Calls per model are bounded by in-flight count, requests per minute and tokens per minute; throttling and 5xx
  are retried with exponential backoff (honouring Retry-After); a model whose calls keep failing opens its
  circuit breaker and the remaining calls fail fast until a cool-down probe succeeds.
- A per-run USD budget reserves each call's worst-case cost before launching it and stops launching calls once
  it would be exceeded (those passes are `skipped` with `budget_exhausted`, and are retried by the next run).
- Successful passes are cached by (content hash, pass, prompt version, model); cache hits are `cached` and free.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel

from dej_platform.enrichment.cache import CacheEntry, CacheKey, EnrichmentCache
from dej_platform.enrichment.job import JobInput
from dej_platform.enrichment.models import PASS_NUMBERS
from dej_platform.enrichment.parsing import AnswerParseError, parse_answer
from dej_platform.enrichment.pricing import ModelSettings, PriceTable, default_price_table
from dej_platform.enrichment.prompts import DEFAULT_PROMPT_VERSION, Prompt, build_prompt, repair_message
from dej_platform.enrichment.providers.base import (
    EnrichmentProvider,
    PassRequest,
    ProviderAnswer,
    ProviderError,
    safe_message,
)
from dej_platform.enrichment.schemas import (
    AnswerInvalid,
    answer_schema,
    answer_to_model,
    model_from_json,
    model_to_json,
)
from dej_platform.enrichment.tokens import estimate_tokens

PassStatus = Literal["success", "failed", "skipped", "cached"]
PASS_STATUSES: tuple[PassStatus, ...] = ("success", "failed", "skipped", "cached")


@dataclass
class PassOutcome:
    status: PassStatus
    error: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    latency_ms: int = 0
    result: BaseModel | None = None


@dataclass
class JobOutcome:
    job: JobInput
    provider: str
    model_id: str
    prompt_version: str
    enriched_at: datetime
    passes: dict[int, PassOutcome]


@dataclass
class EnrichmentTarget:
    """One (provider, model) the jobs are enriched with."""

    provider: EnrichmentProvider
    model_id: str
    settings: ModelSettings

    @property
    def provider_name(self) -> str:
        return self.provider.name


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        backoff = min(self.max_delay_s, self.base_delay_s * 2**attempt) * (0.5 + random.random() / 2)
        return max(backoff, min(retry_after or 0.0, self.max_delay_s))


class CircuitOpenError(ProviderError):
    reason = "circuit_open"


class CircuitBreaker:
    """Opens after `threshold` consecutive failed calls; after `cooldown_s` lets one probe call through."""

    def __init__(
        self, threshold: int = 3, cooldown_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ):
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self.probing = False
        self.times_opened = 0
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half_open" if self.clock() - self.opened_at >= self.cooldown_s else "open"

    def allow(self) -> bool:
        with self._lock:
            if self.opened_at is None:
                return True
            if self.clock() - self.opened_at >= self.cooldown_s and not self.probing:
                self.probing = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self.failures = 0
            self.opened_at = None
            self.probing = False

    def record_failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self.probing or self.failures >= self.threshold:
                if self.opened_at is None or self.probing:
                    self.times_opened += 1
                self.opened_at = self.clock()
                self.probing = False


class CallLimiter:
    """In-flight slots plus sliding one-minute windows of requests and (estimated) tokens for one model."""

    def __init__(
        self,
        rpm: int,
        tpm: int,
        max_concurrency: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rpm = rpm
        self.tpm = tpm
        self.slots = threading.Semaphore(max_concurrency)
        self.clock = clock
        self.sleep = sleep
        self.window: deque[tuple[float, int]] = deque()
        self._lock = threading.Lock()
        self.waited_s = 0.0

    def _wait_time(self, tokens: int) -> float:
        now = self.clock()
        while self.window and now - self.window[0][0] >= 60.0:
            self.window.popleft()
        used_tokens = sum(t for _, t in self.window)
        if len(self.window) < self.rpm and (used_tokens + tokens <= self.tpm or not self.window):
            self.window.append((now, tokens))
            return 0.0
        return max(0.05, 60.0 - (now - self.window[0][0]))

    @contextmanager
    def slot(self, tokens: int) -> Iterator[None]:
        with self.slots:
            while True:
                with self._lock:
                    wait = self._wait_time(tokens)
                if wait <= 0:
                    break
                self.waited_s += wait
                self.sleep(wait)
            yield


class RunBudget:
    """USD for one run. Calls reserve their worst case first; the real cost replaces the reservation."""

    def __init__(self, limit_usd: float | None) -> None:
        self.limit_usd = limit_usd
        self.spent_usd = 0.0
        self.reserved_usd = 0.0
        self.refused = 0
        self._lock = threading.Lock()

    def try_reserve(self, amount: float) -> bool:
        with self._lock:
            if self.limit_usd is not None and self.spent_usd + self.reserved_usd + amount > self.limit_usd:
                self.refused += 1
                return False
            self.reserved_usd += amount
            return True

    def settle(self, reserved: float, actual: float) -> None:
        with self._lock:
            self.reserved_usd = max(0.0, self.reserved_usd - reserved)
            self.spent_usd += actual


@dataclass
class RunReport:
    outcomes: list[JobOutcome]
    cache_hits: int = 0
    cache_writes: int = 0
    spent_usd: float = 0.0
    budget_refusals: int = 0
    breaker_opens: dict[str, int] = field(default_factory=dict)
    rate_limited_wait_s: float = 0.0

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            for number, result in outcome.passes.items():
                key = f"pass{number}_{result.status}"
                counts[key] = counts.get(key, 0) + 1
        return counts


class EnrichmentRunner:
    def __init__(
        self,
        targets: Sequence[EnrichmentTarget],
        cache: EnrichmentCache | None = None,
        budget_usd: float | None = None,
        prompt_version: str = DEFAULT_PROMPT_VERSION,
        retry: RetryPolicy | None = None,
        price_table: PriceTable | None = None,
        breaker_threshold: int = 3,
        breaker_cooldown_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not targets:
            raise ValueError("at least one enrichment target is needed")
        self.targets = list(targets)
        self.cache = cache
        self.budget = RunBudget(budget_usd)
        self.prompt_version = prompt_version
        self.retry = retry or RetryPolicy()
        self.prices = price_table or default_price_table()
        self.sleep = sleep
        self.breakers = {
            t.model_id: CircuitBreaker(breaker_threshold, breaker_cooldown_s, clock) for t in self.targets
        }
        self.limiters = {
            t.model_id: CallLimiter(t.settings.rpm, t.settings.tpm, t.settings.max_concurrency, clock, sleep)
            for t in self.targets
        }
        self._new_entries: list[CacheEntry] = []
        self._entries_lock = threading.Lock()

    # -- one call, with limits, breaker and retries ------------------------------------------------------------
    def _call(self, target: EnrichmentTarget, request: PassRequest) -> tuple[ProviderAnswer, int]:
        breaker = self.breakers[target.model_id]
        estimated = request.prompt.estimated_input_tokens + request.max_output_tokens
        last: ProviderError | None = None
        for attempt in range(self.retry.max_attempts):
            with self.limiters[target.model_id].slot(estimated):
                # Checked once the call may go: calls queued behind a failing one fail fast instead.
                if not breaker.allow():
                    raise CircuitOpenError(f"circuit open for {target.model_id} after repeated failures")
                started = time.perf_counter()
                try:
                    answer = target.provider.complete(request)
                except ProviderError as exc:
                    if not exc.retryable:
                        raise
                    last = exc
                else:
                    breaker.record_success()
                    return answer, int((time.perf_counter() - started) * 1000)
            if attempt + 1 < self.retry.max_attempts:
                self.sleep(self.retry.delay(attempt, last.retry_after if last else None))
        breaker.record_failure()
        assert last is not None
        raise type(last)(f"{last} (after {self.retry.max_attempts} attempts)", last.retry_after)

    # -- one pass, with budget, parse, validation and the repair turn ----------------------------------------
    def _run_pass(
        self, target: EnrichmentTarget, job: JobInput, number: int, previous: dict[int, BaseModel]
    ) -> PassOutcome:
        if getattr(target.provider, "reads_prompt", True):
            prompt = build_prompt(number, job, previous, self.prompt_version)
        else:  # offline rules read the job itself; building text nobody reads is wasted work
            prompt = Prompt(number, self.prompt_version, "", "", answer_schema(number), 0)
        max_out = self.prices.max_output_tokens.get(number, 2000)
        outcome = PassOutcome(status="failed")
        repair: tuple[str, str] | None = None
        for turn in (0, 1):
            request = PassRequest(prompt, job, target.model_id, max_out, previous, repair)
            estimated_in = prompt.estimated_input_tokens + (estimate_tokens(repair[0]) + 200 if repair else 0)
            reserve = target.settings.cost_usd(estimated_in, max_out)
            if not self.budget.try_reserve(reserve):
                if turn == 0:
                    return PassOutcome(
                        status="skipped", error="budget_exhausted: run budget reached before this call"
                    )
                outcome.error = f"{outcome.error} (repair not attempted: budget_exhausted)"
                return outcome
            actual = 0.0
            try:
                answer, latency = self._call(target, request)
                tokens_in = answer.tokens_in or (estimated_in if target.settings.input_per_mtok else 0)
                tokens_out = answer.tokens_out or (
                    estimate_tokens(answer.raw()) if target.settings.output_per_mtok else 0
                )
                actual = target.settings.cost_usd(tokens_in, tokens_out)
            except ProviderError as exc:
                outcome.error = f"{exc.reason}: {safe_message(str(exc))}"
                return outcome
            finally:
                self.budget.settle(reserve, actual)
            outcome.tokens_in += tokens_in
            outcome.tokens_out += tokens_out
            outcome.cost_usd += actual
            outcome.latency_ms += latency
            try:
                if answer.obj is not None and not answer.truncated:
                    parsed_obj = answer.obj
                else:
                    parsed = parse_answer(answer.text)
                    if answer.truncated or parsed.truncated:
                        raise AnswerParseError(
                            "truncated_answer", "the answer was cut off at the token limit"
                        )
                    parsed_obj = parsed.obj
                outcome.result = answer_to_model(number, parsed_obj)
                outcome.status = "success"
                outcome.error = None if turn == 0 else "repaired: first answer was invalid"
                return outcome
            except AnswerParseError as exc:
                errors = [str(exc)]
                outcome.error = f"{exc.reason}: {safe_message(str(exc))}"
            except AnswerInvalid as exc:
                errors = exc.errors
                outcome.error = f"invalid_answer: {safe_message('; '.join(errors))}"
            repair = (answer.raw() or "", repair_message(errors))
        outcome.error = f"{outcome.error} (after 1 repair attempt)"
        return outcome

    # -- one job through the three passes -------------------------------------------------------------------
    def _run_job(self, target: EnrichmentTarget, job: JobInput, cached: dict[CacheKey, str]) -> JobOutcome:
        passes: dict[int, PassOutcome] = {}
        previous: dict[int, BaseModel] = {}
        blocked: str | None = None
        for number in PASS_NUMBERS:
            if blocked is not None:
                passes[number] = PassOutcome(status="skipped", error=blocked)
                continue
            key = CacheKey(job.content_hash, number, self.prompt_version, target.model_id)
            if key in cached:
                try:
                    result = model_from_json(number, cached[key])
                    passes[number] = PassOutcome(status="cached", result=result)
                    previous[number] = result
                    continue
                except ValueError:
                    pass  # an entry the current models reject is ignored and recomputed
            if number == 1 and not job.has_text:
                outcome = PassOutcome(status="failed", error="empty_description: the posting has no text")
            else:
                outcome = self._run_pass(target, job, number, previous)
            passes[number] = outcome
            if outcome.status == "success" and outcome.result is not None:
                previous[number] = outcome.result
                entry = CacheEntry(
                    key, target.provider_name, model_to_json(outcome.result),
                    outcome.tokens_in, outcome.tokens_out, outcome.cost_usd,
                )  # fmt: skip
                with self._entries_lock:
                    self._new_entries.append(entry)
            else:
                blocked = f"pass{number}_{outcome.status}"
        return JobOutcome(
            job, target.provider_name, target.model_id, self.prompt_version, datetime.now(UTC), passes
        )

    def run(self, jobs: Sequence[JobInput]) -> RunReport:
        """Enrich every job with every target. Jobs sharing a content hash are enriched once."""
        keys = [
            CacheKey(job.content_hash, number, self.prompt_version, target.model_id)
            for target in self.targets
            for job in jobs
            for number in PASS_NUMBERS
        ]
        cached = self.cache.lookup(keys) if self.cache is not None else {}
        representatives: dict[str, JobInput] = {}
        for job in jobs:
            representatives.setdefault(job.content_hash, job)
        tasks = [(t, j) for t in self.targets for j in representatives.values()]
        workers = min(32, sum(t.settings.max_concurrency for t in self.targets))
        results: dict[tuple[str, str], JobOutcome] = {}
        try:
            if workers <= 1 or len(tasks) <= 1:
                for target, job in tasks:
                    results[(target.model_id, job.content_hash)] = self._run_job(target, job, cached)
            else:
                with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="enrich") as pool:
                    futures = {
                        (t.model_id, j.content_hash): pool.submit(self._run_job, t, j, cached)
                        for t, j in tasks
                    }
                    results = {key: future.result() for key, future in futures.items()}
        finally:
            written = self.cache.store(list(self._new_entries)) if self.cache is not None else 0
        outcomes: list[JobOutcome] = []
        for target in self.targets:
            for job in jobs:
                first = results[(target.model_id, job.content_hash)]
                if first.job is job:
                    outcomes.append(first)
                else:  # a duplicate of an enriched content hash: same answer, no cost
                    copied = {
                        n: PassOutcome("cached", None, result=o.result)
                        if o.status in ("success", "cached")
                        else replace(o, tokens_in=0, tokens_out=0, cost_usd=0.0, latency_ms=0)
                        for n, o in first.passes.items()
                    }
                    outcomes.append(replace(first, job=job, passes=copied))
        hits = sum(1 for o in outcomes for p in o.passes.values() if p.status == "cached")
        return RunReport(
            outcomes=outcomes,
            cache_hits=hits,
            cache_writes=written,
            spent_usd=self.budget.spent_usd,
            budget_refusals=self.budget.refused,
            breaker_opens={m: b.times_opened for m, b in self.breakers.items()},
            rate_limited_wait_s=sum(limiter.waited_s for limiter in self.limiters.values()),
        )


def target_for(
    provider: EnrichmentProvider, model_id: str, price_table: PriceTable | None = None
) -> EnrichmentTarget:
    prices = price_table or default_price_table()
    return EnrichmentTarget(provider=provider, model_id=model_id, settings=prices.settings_for(model_id))
