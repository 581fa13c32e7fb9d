"""HTML pages of the backup console."""

import html
import string

HEADER = string.Template("<h1>Snapshots of $host</h1>")
ROW = string.Template("<tr><td>$id</td><td>$taken</td></tr>")


def status_page(host, snapshots):
    rows = []
    for snapshot_id, taken in snapshots:
        rows.append(ROW.substitute(id=int(snapshot_id), taken=html.escape(taken)))
    page = HEADER.substitute(host=host)
    page += "<table>" + "".join(rows) + "</table>"
    return page


def snapshot_page(snapshot_id, host):
    page = "<h1>Snapshot %d</h1>" % snapshot_id
    page += '<a class="host" title="%s" href="/status">back</a>' % html.escape(host)
    return page
