"""The one interface every enrichment provider implements: a prompt and its JSON schema in, an answer out.

Providers do transport only. Parsing, validation, the repair attempt, retries, rate limits, the circuit breaker
and the budget live in `execution.py`, so every provider gets the same guarantees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from dej_platform.enrichment.job import JobInput
from dej_platform.enrichment.prompts import Prompt


@dataclass(frozen=True)
class PassRequest:
    prompt: Prompt
    job: JobInput
    model_id: str
    max_output_tokens: int
    previous: dict[int, BaseModel] = field(default_factory=dict)
    # The single repair turn: the model's invalid answer and what was wrong with it.
    repair: tuple[str, str] | None = None


@dataclass
class ProviderAnswer:
    """Raw text (or an already-structured tool-use object), usage as the provider reported it."""

    text: str | None = None
    obj: dict[str, Any] | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    truncated: bool = False

    def raw(self) -> str:
        """What the model said, as text (tool-use objects serialised), for the repair turn and estimates."""
        import json

        return (self.text or "") if self.obj is None else json.dumps(self.obj)


class ProviderError(Exception):
    """A call that did not produce an answer. `retryable` errors are retried with backoff."""

    retryable = False
    reason = "provider_error"

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ThrottledError(ProviderError):
    retryable = True
    reason = "throttled"


class ServerError(ProviderError):
    retryable = True
    reason = "server_error"


class RequestRejectedError(ProviderError):
    """The provider refused the request itself (bad model id, auth, validation): retrying will not help."""

    reason = "request_rejected"


class EnrichmentProvider(Protocol):
    name: str

    def complete(self, request: PassRequest) -> ProviderAnswer: ...


def safe_message(text: str, limit: int = 300) -> str:
    """Error text for the table: one line, bounded, with anything that looks like a key removed."""
    import re

    text = " ".join(str(text).split())
    text = re.sub(r"(?i)(bearer\s+|api[_-]?key[=:\s]+|sk-)[A-Za-z0-9._\-]{6,}", r"\1***", text)
    return text[:limit]
