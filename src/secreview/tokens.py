"""What Python's tokenizer yields besides code, for everything that reads source token by token
(claim checks, fingerprints). Standard library only, so any layer may import it."""

from __future__ import annotations

import tokenize

# Comments, line breaks, indentation and the stream's start and end: a line holding only these
# holds no code, and two snippets differing only in these are the same code.
LAYOUT_TOKENS: frozenset[int] = frozenset(
    {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
        tokenize.ENCODING,  # only from tokenize.tokenize (bytes); generate_tokens never yields it
    }
)
