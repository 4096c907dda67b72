"""`openai`: any OpenAI-compatible `/v1/chat/completions` endpoint (OpenAI, vLLM, Ollama, llama.cpp server).

The base URL comes from `DEJ_OPENAI_BASE_URL` (e.g. `http://127.0.0.1:11434/v1`), the key from
`DEJ_OPENAI_API_KEY` (or `OPENAI_API_KEY`; local servers need none). The answer schema goes in
`response_format: {"type": "json_schema"}`, which local servers enforce by constrained decoding.
"""

from __future__ import annotations

import os
from typing import Any

import requests

from dej_platform.enrichment.providers.base import (
    PassRequest,
    ProviderAnswer,
    RequestRejectedError,
    ServerError,
    ThrottledError,
    safe_message,
)

DEFAULT_BASE_URL = "https://api.openai.com/v1"


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class OpenAICompatibleProvider:
    name = "openai"

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = (base_url or os.environ.get("DEJ_OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self._api_key = api_key or os.environ.get("DEJ_OPENAI_API_KEY") or os.environ.get("OPENAI_API_KEY")
        self.timeout_s = timeout_s
        self.session = session or requests.Session()

    def __repr__(self) -> str:  # never show the key
        return f"OpenAICompatibleProvider(base_url={self.base_url!r})"

    def complete(self, request: PassRequest) -> ProviderAnswer:
        prompt = request.prompt
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ]
        if request.repair is not None:
            previous_answer, fix = request.repair
            messages += [
                {"role": "assistant", "content": previous_answer[:20_000] or "(empty)"},
                {"role": "user", "content": fix},
            ]
        body = {
            "model": request.model_id,
            "messages": messages,
            "temperature": 0.1,
            "max_tokens": request.max_output_tokens,
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": f"pass{prompt.pass_number}_answer",
                    "schema": prompt.schema,
                    "strict": False,
                },
            },
        }
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        try:
            response = self.session.post(
                f"{self.base_url}/chat/completions", json=body, headers=headers, timeout=self.timeout_s
            )
        except requests.RequestException as exc:
            raise ServerError(safe_message(f"{type(exc).__name__}: {exc}")) from None
        if response.status_code == 429:
            raise ThrottledError(safe_message(f"429: {response.text}"), retry_after=_retry_after(response))
        if response.status_code >= 500:
            raise ServerError(
                safe_message(f"{response.status_code}: {response.text}"), _retry_after(response)
            )
        if response.status_code >= 400:
            raise RequestRejectedError(safe_message(f"{response.status_code}: {response.text}"))
        try:
            payload = response.json()
            choice = payload["choices"][0]
            message = choice.get("message") or {}
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ServerError(safe_message(f"unreadable response: {exc}")) from None
        usage = payload.get("usage") or {}
        return ProviderAnswer(
            text=message.get("content"),
            tokens_in=int(usage.get("prompt_tokens") or 0),
            tokens_out=int(usage.get("completion_tokens") or 0),
            truncated=choice.get("finish_reason") == "length",
        )
