"""Markdown extensions of a wiki: one cleans the rendered HTML in a postprocessor that runs
after Markdown puts the raw HTML of the source back, the others only look like it."""

import bleach
import nh3
from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

WIKI_TAGS = {"a", "p", "em", "strong", "code", "pre", "ul", "ol", "li", "table", "tr", "td"}
WIKI_ATTRIBUTES = {"a": ["href", "title"]}


def clean_fragment(html):
    return nh3.clean(html, tags=WIKI_TAGS, link_rel="nofollow")


class SanitizePostprocessor(Postprocessor):
    def __init__(self, md, tags):
        super().__init__(md)
        self.tags = tags

    def run(self, text):
        return bleach.clean(text, tags=self.tags, attributes=WIKI_ATTRIBUTES, strip=True)


class FragmentPostprocessor(Postprocessor):
    def run(self, text):
        return clean_fragment(text)


class TableClassPostprocessor(Postprocessor):
    def run(self, text):
        return text.replace("<table>", '<table class="wiki-table">')


class SafeHtmlExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(SanitizePostprocessor(md, WIKI_TAGS), "sanitize", 5)
        md.postprocessors.register(TableClassPostprocessor(md), "table_class", 4)


class FragmentExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(FragmentPostprocessor(md), "fragment", 0)


class TableStyleExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(TableClassPostprocessor(md), "table_class", 4)


class EarlyCleanExtension(Extension):
    """Cleans before `raw_html` (priority 30) restores the source's raw HTML: too early."""

    def extendMarkdown(self, md):
        md.postprocessors.register(SanitizePostprocessor(md, WIKI_TAGS), "sanitize", 40)


class TextCleanTreeprocessor(Treeprocessor):
    """Cleans the text of the tree's elements: the source's raw HTML is not in the tree."""

    def run(self, root):
        for element in root.iter():
            if element.text:
                element.text = nh3.clean(element.text)
        return root


class TreeCleanExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(TextCleanTreeprocessor(md), "text_clean", 1)


class WikiExtension(SafeHtmlExtension):
    """Inherits the cleaning `extendMarkdown`."""


class PlainWikiExtension(SafeHtmlExtension):
    """Replaces it with one that only styles tables."""

    def extendMarkdown(self, md):
        md.postprocessors.register(TableClassPostprocessor(md), "table_class", 4)


class KeywordCleanExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(FragmentPostprocessor(md), name="fragment", priority=1)
