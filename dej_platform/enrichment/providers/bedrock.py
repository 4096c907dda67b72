"""`bedrock`: the Converse API of boto3 `bedrock-runtime`, structured output through tool use.

When the model supports tool use (per model in `model_prices.yaml`), the answer schema is the input schema of a
single tool the model is told to call, so the answer arrives as a JSON object instead of free text. Otherwise the
text reply is parsed. `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`) is honoured by boto3 itself, so a
fake Converse server or a VPC endpoint needs no code change. boto3's own retries are off: execution.py retries.
"""

from __future__ import annotations

import os
from typing import Any

from dej_platform.enrichment.prompts import Prompt
from dej_platform.enrichment.providers.base import (
    PassRequest,
    ProviderAnswer,
    RequestRejectedError,
    ServerError,
    ThrottledError,
    safe_message,
)

DEFAULT_MODEL_ID = "openai.gpt-oss-120b-1:0"
TOOL_NAME = "record_answer"
_THROTTLING = {"ThrottlingException", "TooManyRequestsException", "ServiceQuotaExceededException"}
_SERVER = {
    "InternalServerException",
    "ServiceUnavailableException",
    "ModelNotReadyException",
    "ModelTimeoutException",
    "InternalFailure",
    "ServiceUnavailable",
}


def _messages(prompt: Prompt, repair: tuple[str, str] | None) -> list[dict[str, Any]]:
    messages = [{"role": "user", "content": [{"text": prompt.user}]}]
    if repair is not None:
        previous_answer, fix = repair
        messages.append({"role": "assistant", "content": [{"text": previous_answer[:20_000] or "(empty)"}]})
        messages.append({"role": "user", "content": [{"text": fix}]})
    return messages


class BedrockProvider:
    name = "bedrock"

    def __init__(
        self,
        region: str | None = None,
        endpoint_url: str | None = None,
        tool_use_models: frozenset[str] | None = None,
        timeout_s: float = 120.0,
        client: Any = None,
    ) -> None:
        self.tool_use_models = tool_use_models
        if client is not None:
            self.client = client
            return
        import boto3
        from botocore.config import Config

        self.client = boto3.client(
            "bedrock-runtime",
            region_name=region
            or os.environ.get("AWS_REGION")
            or os.environ.get("AWS_DEFAULT_REGION")
            or "us-east-1",
            endpoint_url=endpoint_url or None,
            config=Config(
                retries={"total_max_attempts": 1, "mode": "standard"},
                read_timeout=timeout_s,
                connect_timeout=10,
            ),
        )

    def _uses_tool(self, model_id: str) -> bool:
        if self.tool_use_models is not None:
            return model_id in self.tool_use_models
        from dej_platform.enrichment.pricing import default_price_table

        return default_price_table().settings_for(model_id).tool_use

    def complete(self, request: PassRequest) -> ProviderAnswer:
        from botocore.exceptions import BotoCoreError, ClientError

        prompt = request.prompt
        kwargs: dict[str, Any] = {
            "modelId": request.model_id,
            "system": [{"text": prompt.system}],
            "messages": _messages(prompt, request.repair),
            "inferenceConfig": {"maxTokens": request.max_output_tokens, "temperature": 0.1},
        }
        if self._uses_tool(request.model_id):
            kwargs["toolConfig"] = {
                "tools": [
                    {
                        "toolSpec": {
                            "name": TOOL_NAME,
                            "description": f"Record the pass {prompt.pass_number} answer.",
                            "inputSchema": {"json": prompt.schema},
                        }
                    }
                ],
                "toolChoice": {"tool": {"name": TOOL_NAME}},
            }
        try:
            response = self.client.converse(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            message = safe_message(f"{code}: {exc.response.get('Error', {}).get('Message', '')}")
            if code in _THROTTLING or status == 429:
                raise ThrottledError(message) from None
            if code in _SERVER or status >= 500:
                raise ServerError(message) from None
            raise RequestRejectedError(message) from None
        except BotoCoreError as exc:  # connection refused, read timeout: transient from our side
            raise ServerError(safe_message(f"{type(exc).__name__}: {exc}")) from None
        usage = response.get("usage") or {}
        answer = ProviderAnswer(
            tokens_in=int(usage.get("inputTokens") or 0),
            tokens_out=int(usage.get("outputTokens") or 0),
            truncated=response.get("stopReason") == "max_tokens",
        )
        texts: list[str] = []
        for block in (response.get("output") or {}).get("message", {}).get("content") or []:
            if "toolUse" in block and isinstance(block["toolUse"].get("input"), dict):
                answer.obj = block["toolUse"]["input"]
            elif "text" in block:
                texts.append(block["text"])
        answer.text = "\n".join(texts) if texts else None
        return answer
