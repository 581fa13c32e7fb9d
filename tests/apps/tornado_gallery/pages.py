"""HTML fragments of the gallery pages."""

import html

ROW = "<li><img src='/thumbs/%s'> %s</li>"


def heading(album):
    text = html.escape(album)
    return '<h1 title="{}">{}</h1>'.format(text, text)


def caption_block(caption):
    block = "<figure>"
    block += "<figcaption>%s</figcaption>" % caption
    return block + "</figure>"


def photo_list(names):
    rows = []
    for name in names:
        rows.append(ROW % (html.escape(name, quote=True), html.escape(name)))
    return "<ul>" + "".join(rows) + "</ul>"


def slideshow(album, start):
    album = html.escape(album)
    start = html.escape(start)
    return f"<script>startSlideshow('{album}', {start});</script>"
