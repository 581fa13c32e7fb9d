"""Text helpers shared by the web views and the background tasks."""


def shorten(text, width=60):
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
