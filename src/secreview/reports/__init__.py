"""Reports: one module per format, each turning a `Review` into text and computing nothing new.

Format modules are imported only when their format is asked for, so `secreview review`
pays for one renderer (SARIF's and Markdown's helpers never load for a terminal review).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from secreview.model import Review


class Renderer(Protocol):
    """What every format module exposes as `render`."""

    def __call__(self, review: Review, *, verbose: bool = False) -> str: ...


# format name -> module in this package; the module's `render` is the renderer.
_MODULES: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "markdown": "markdown",
    "html": "html",
    "gerrit": "gerrit",
    "github": "github",
    "github-annotations": "github_annotations",
}


class _LazyFormats(Mapping[str, Renderer]):
    """Format name -> render function, importing a format's module on first lookup."""

    def __getitem__(self, name: str) -> Renderer:
        module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
        renderer: Renderer = module.render
        return renderer

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)

    def __contains__(self, name: object) -> bool:
        return name in _MODULES


FORMATS: Mapping[str, Renderer] = _LazyFormats()


def render(review: Review, fmt: str, *, verbose: bool = False) -> str:
    """The report of `review` in format `fmt`, ending with a newline; control characters
    from the reviewed code (or a model's answer) are escaped, never printed raw."""
    from secreview.reports._common import visible

    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    text = visible(FORMATS[fmt](review, verbose=verbose))
    return text if text.endswith("\n") else text + "\n"
