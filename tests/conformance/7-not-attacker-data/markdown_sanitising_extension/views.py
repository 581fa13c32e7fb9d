"""Wiki views that render Markdown from the request: with an extension of the tree that
cleans the HTML Markdown gives, the page is safe; with extensions that do not clean it, or
none, the source's raw HTML (`<img src=x onerror=...>`) reaches the page."""

import bleach
import markdown
from flask import Flask, request
from markupsafe import Markup

from rendering import (
    EarlyCleanExtension,
    FragmentExtension,
    KeywordCleanExtension,
    PlainWikiExtension,
    SafeHtmlExtension,
    TableStyleExtension,
    TreeCleanExtension,
    WikiExtension,
)

app = Flask(__name__)


def render_page(source, with_toc=False):
    extensions = ["markdown.extensions.tables", SafeHtmlExtension()]
    if with_toc:
        extensions.append("markdown.extensions.toc")
    return markdown.markdown(source, extensions=extensions)


@app.post("/wiki/preview")
def preview():
    return f"<article>{render_page(request.form['body'])}</article>"  # ok: xss


@app.post("/wiki/comment")
def comment():
    html = markdown.markdown(request.form["comment"], extensions=[FragmentExtension()])
    app.logger.info("comment rendered: " + html)  # expect: log-injection
    return Markup(html)  # ok: xss


@app.post("/wiki/snippet")
def snippet():
    renderer = markdown.Markdown(extensions=[SafeHtmlExtension(), "markdown.extensions.toc"])
    html = renderer.convert(request.form["snippet"])
    return f"<div class='snippet'>{html}</div>"  # ok: xss


@app.post("/wiki/cleaned-after")
def cleaned_after():
    html = bleach.clean(markdown.markdown(request.form["body"]), tags={"p", "em"})
    return f"<article>{html}</article>"  # ok: xss


@app.post("/wiki/plain")
def plain():
    return f"<article>{markdown.markdown(request.form['body'])}</article>"  # expect: xss


@app.post("/wiki/tables")
def tables():
    html = markdown.markdown(request.form["body"], extensions=["markdown.extensions.tables"])
    return Markup(html)  # expect: xss


@app.post("/wiki/styled")
def styled():
    html = markdown.markdown(request.form["body"], extensions=[TableStyleExtension()])
    return Markup(html)  # expect: xss


@app.post("/wiki/unused")
def unused():
    safe = SafeHtmlExtension()
    renderer = markdown.Markdown(extensions=[TableStyleExtension()])
    app.logger.debug("renderer ready, %s not used", safe)
    return Markup(renderer.convert(request.form["body"]))  # expect: xss


@app.post("/wiki/early")
def early():
    html = markdown.markdown(request.form["body"], extensions=[EarlyCleanExtension()])
    return Markup(html)  # expect: xss


@app.post("/wiki/tree")
def tree():
    html = markdown.markdown(request.form["body"], extensions=[TreeCleanExtension()])
    return Markup(html)  # expect: xss


@app.post("/wiki/inherited")
def inherited():
    html = markdown.markdown(request.form["body"], extensions=[WikiExtension()])
    return Markup(html)  # ok: xss


@app.post("/wiki/keywords")
def keywords():
    html = markdown.markdown(request.form["body"], extensions=[KeywordCleanExtension()])
    return Markup(html)  # ok: xss


@app.post("/wiki/overridden")
def overridden():
    html = markdown.markdown(request.form["body"], extensions=[PlainWikiExtension()])
    return Markup(html)  # expect: xss
