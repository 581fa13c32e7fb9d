"""The optional LLM review pass: prompts, an OpenAI-compatible client, answer parsing and the
verification of every claim against the code before it may become a finding.

Imported only when `--llm` is given, so the engine-only path never pays for it; the
`openai` SDK (the `secreview[llm]` extra) is imported only when a request is made.
"""

from secreview.llm.client import LLMError

__all__ = ["LLMError"]
