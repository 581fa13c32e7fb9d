"""What `taint/raw_templates.py` reads from a template: the context values written raw."""

from __future__ import annotations

from pathlib import Path

from secreview.python.taint.raw_templates import raw_in_file, raw_in_text


def _names(text: str) -> list[str]:
    return [write.name for write in raw_in_text(text)]


def test_safe_marks_a_value_raw_after_any_filters_but_escaping_ones() -> None:
    text = (
        "{{ a|safe }} {{ b | striptags | safe }} {{ c.body|default:''|safe }} "
        "{{ d|e|safe }} {{ e|escape|safe }} {{ f|tojson|safe }} {{ g }} {{ 'x'|safe }}"
    )
    assert _names(text) == ["a", "b", "c"]


def test_autoescape_blocks_nest_and_end() -> None:
    text = (
        "{% autoescape off %}{{ a }}{% autoescape on %}{{ b }}{% endautoescape %}"
        "{{ c|force_escape }}{{ d }}{% endautoescape %}{{ e }}"
        "{%- autoescape false -%}{{ f }}{% endautoescape %}{% autoescape true %}{{ g }}"
    )
    assert _names(text) == ["a", "d", "f"]


def test_tornado_raw_and_whole_file_switch() -> None:
    assert _names("{% raw blurb %} {{ name }}") == ["blurb"]
    assert _names("{% autoescape None %}<p>{{ name }}</p>") == ["name"]


def test_loop_and_alias_names_are_their_context_variables() -> None:
    text = (
        "{% for c in comments %}{{ c.text|safe }}{% endfor %}"
        "{% for k, v in pairs.items() %}{{ v|safe }}{% endfor %}"
        "{% with t=title %}{{ t|safe }}{% endwith %}{% set s = sig %}{{ s|safe }}"
    )
    assert _names(text) == ["comments", "pairs", "title", "sig"]


def test_literal_blocks_and_comments_are_no_code() -> None:
    text = (
        "{% raw %}{{ a|safe }}{% endraw %}{% verbatim %}{{ b|safe }}{% endverbatim %}"
        "{% comment %}{{ c|safe }}{% endcomment %}{# {{ d|safe }} #}{{ e|safe }}"
    )
    assert _names(text) == ["e"]


def test_lines_and_text_name_the_write() -> None:
    (write,) = raw_in_text("<p>\n</p>\n<div>{{  banner |safe }}</div>\n")
    assert (write.line, write.text) == (3, "{{ banner |safe }}")


def test_a_file_is_read_with_what_it_extends_and_includes(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text(
        '{% extends "base.html" %}{% block b %}{% include "part.html" %}{% endblock %}'
    )
    (folder / "base.html").write_text("<title>{{ title|safe }}</title>{% block b %}{% endblock %}")
    (folder / "part.html").write_text('{% include "part.html" %}<p>{{ note|safe }}</p>')
    module = tmp_path / "views.py"
    writes = raw_in_file("page.html", module)
    assert sorted((w.name, w.file.name if w.file else "") for w in writes) == [
        ("note", "part.html"),
        ("title", "base.html"),
    ]
    assert raw_in_file("missing.html", module) == []
    assert raw_in_file("../templates/page.html", module) == []
