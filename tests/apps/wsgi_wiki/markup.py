"""Page fragments the wiki builds from what an editor typed."""

import html


def preview(text):
    parts = ['<article class="preview">']
    for line in text.splitlines():
        parts.append("<p>{}</p>".format(line))
    parts.append("</article>")
    return "\n".join(parts)


def history_link(title):
    label = html.escape(title)
    link = f'<a class="history" title="{label}" href="/history">'
    link += f"History of {label}</a>"
    return link


def rename_form(title):
    current = html.escape(title)
    return f"<form method=post action=/rename><input name=title value={current}></form>"
