"""HTML pages of the notes service."""

import html


def results_page(term, titles):
    page = "<h1>Notes</h1>"
    page += "<p>Results for <b>" + term + "</b></p>"
    items = []
    for title in titles:
        items.append("<li>" + html.escape(title) + "</li>")
    page += "<ul>" + "".join(items) + "</ul>"
    return page


def search_form(term):
    page = "<form action='/notes/find'>"
    page += '<input name="q" value="' + html.escape(term) + '">'
    page += "<button>Search</button></form>"
    return page


def back_link(target):
    page = "<p>Saved.</p>"
    page += '<a href="' + html.escape(target) + '">Back</a>'
    return page
