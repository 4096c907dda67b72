"""Getting the JSON object out of what a model actually sends back.

Real answers (see the seed's raw outputs) come wrapped in `<reasoning>`/`<think>` blocks, ```json fences, a
sentence of prose before or after, with trailing commas, or cut off at the token limit. The parser finds the
answer object in all of these. A cut-off answer is reported as truncated (with the closed-up object for
diagnosis) so the caller repairs or fails it instead of storing half an answer as if it were whole.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_REASONING_TAGS = ("think", "thinking", "reasoning", "thought", "analysis", "reflection")
_CLOSED_BLOCK = re.compile(
    r"<(?P<tag>" + "|".join(_REASONING_TAGS) + r")\b[^>]*>.*?</(?P=tag)\s*>", re.IGNORECASE | re.DOTALL
)
_OPEN_TAG = re.compile(r"<(" + "|".join(_REASONING_TAGS) + r")\b[^>]*>", re.IGNORECASE)
_FENCE = re.compile(r"```(?:json|JSON|javascript)?\s*\n?(.*?)(?:```|$)", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
MAX_ANSWER_CHARS = 400_000


class AnswerParseError(ValueError):
    """No JSON object could be recovered; `reason` is a short code, the message says more."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}")


@dataclass
class ParsedAnswer:
    obj: dict[str, Any]
    truncated: bool = False
    notes: list[str] = field(default_factory=list)


def strip_reasoning(text: str) -> str:
    """Remove closed reasoning blocks, and an unclosed one up to the first `{` that starts a JSON line."""
    text = _CLOSED_BLOCK.sub("", text)
    opened = _OPEN_TAG.search(text)
    if opened:
        rest = text[opened.end() :]
        start = re.search(r"(^|\n)\s*(```(json)?\s*\n)?\s*\{", rest)
        text = text[: opened.start()] + (rest[start.start() :] if start else "")
    return text


def _scan_object(text: str, start: int) -> tuple[int, bool]:
    """End index (exclusive) of the JSON object opening at `start`; (len, False) when it never closes."""
    depth = 0
    in_string = False
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index + 1, True
    return len(text), False


def _loads(candidate: str) -> Any:
    try:
        return json.loads(candidate)
    except json.JSONDecodeError:
        return json.loads(_TRAILING_COMMA.sub(r"\1", candidate))


def close_truncated(fragment: str) -> str:
    """Close a cut-off JSON text: drop a dangling key or half value, then close strings, arrays and objects."""
    stack: list[str] = []
    in_string = False
    escaped = False
    for char in fragment:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]" and stack:
            stack.pop()
    text = fragment + ('"' if in_string else "")
    # A trailing `"key":`, `"key"` or `,` cannot be completed: cut back to the last complete member.
    text = re.sub(r'(,\s*"[^"\\]*(?:\\.[^"\\]*)*"\s*:?\s*|,\s*|:\s*)$', "", text)
    text = re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"\s*:\s*"[^"]*"?$', lambda m: m.group(0), text)
    return text + "".join(reversed(stack))


def parse_answer(raw: str | None) -> ParsedAnswer:
    """The answer object of a model's raw text; `AnswerParseError` when there is none."""
    if raw is None or not raw.strip():
        raise AnswerParseError("empty_answer", "the model returned no text")
    text = raw[:MAX_ANSWER_CHARS].lstrip("\ufeff")
    notes: list[str] = []
    try:
        whole = _loads(text.strip())
        if isinstance(whole, dict):
            return ParsedAnswer(whole)
    except json.JSONDecodeError:
        pass
    cleaned = strip_reasoning(text)
    if cleaned != text:
        notes.append("reasoning block removed")
    fences = [m for m in _FENCE.finditer(cleaned) if "{" in m.group(1)]
    candidates: list[tuple[str, bool]] = [(m.group(1), m.group(0).rstrip().endswith("```")) for m in fences]
    if candidates:
        notes.append("code fence")
    candidates.append((cleaned, False))
    truncated_fragment: str | None = None
    malformed = False
    for candidate, fence_closed in candidates:
        position = candidate.find("{")
        best: dict[str, Any] | None = None
        while position != -1:
            end, closed = _scan_object(candidate, position)
            if not closed:
                if fence_closed:  # the answer ended properly: its JSON is broken, not cut off
                    malformed = True
                else:
                    truncated_fragment = truncated_fragment or candidate[position:]
                break
            try:
                obj = _loads(candidate[position:end])
            except json.JSONDecodeError:
                obj = None
            if isinstance(obj, dict) and (best is None or len(json.dumps(obj)) > len(json.dumps(best))):
                best = obj
            position = candidate.find("{", end)
        if best is not None:
            return ParsedAnswer(best, notes=notes)
    if truncated_fragment is not None and not malformed:
        try:
            closed_obj = _loads(close_truncated(truncated_fragment.rstrip().removesuffix("```").rstrip()))
        except json.JSONDecodeError as exc:
            raise AnswerParseError(
                "truncated_answer", f"answer cut off and not recoverable ({exc.msg})"
            ) from None
        if isinstance(closed_obj, dict):
            return ParsedAnswer(closed_obj, truncated=True, notes=[*notes, "closed a truncated object"])
    if malformed or truncated_fragment is not None:
        raise AnswerParseError("invalid_json", "the answer's JSON object is malformed")
    raise AnswerParseError("no_json_object", f"no JSON object in {len(raw)} characters of answer")
