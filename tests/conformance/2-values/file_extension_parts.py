"""What is left of a file name after its last dot holds no dot, so it cannot climb out of a
directory once something is in front of it: `stem + "." + ext` stays where `stem` is. At
the start of a path it can still be absolute (`/etc/cron.d` has no dot in `/etc/cron`), and
the name before the dot is the client's whole choice."""

import os
import shutil

from flask import Flask, request

app = Flask(__name__)
ATTACHMENTS = "/srv/tickets/attachments"


@app.route("/tickets/<int:ticket>/attachment", methods=["POST"])
def attach(ticket):
    upload = request.files["file"]
    ext = upload.filename.rsplit(".", 1)[-1].lower()
    target = os.path.join(ATTACHMENTS, f"ticket-{ticket}.{ext}")
    with open(target, "wb") as out:  # ok: path-traversal
        out.write(upload.read())
    kind = upload.filename.split(".")[-1]
    with open(os.path.join(ATTACHMENTS, str(ticket) + "_preview." + kind), "wb") as out:  # ok: path-traversal
        out.write(upload.read())
    suffix = upload.filename.rpartition(".")[2]
    shutil.copy(target, ATTACHMENTS + "/latest." + suffix)  # ok: path-traversal
    return "stored"


def _preview_path(ticket, kind):
    return os.path.join(ATTACHMENTS, f"preview-{ticket}.{kind}")


@app.route("/tickets/<int:ticket>/preview")
def preview(ticket):
    kind = request.args.get("kind", "png").split(".")[0]
    with open(_preview_path(ticket, kind), "rb") as image:  # ok: path-traversal
        return image.read()


@app.route("/tickets/<int:ticket>/export", methods=["POST"])
def export(ticket):
    name = request.form["name"]
    ext = name.rsplit(".", 1)[-1]
    with open(os.path.join(ATTACHMENTS, ext), "w") as out:  # expect: path-traversal
        out.write(str(ticket))
    stem = name.rsplit(".", 1)[0]
    with open(os.path.join(ATTACHMENTS, stem + ".csv"), "w") as out:  # expect: path-traversal
        out.write(str(ticket))
    with open(os.path.join(ATTACHMENTS, "%s" % ext), "w") as out:  # expect: path-traversal
        out.write(str(ticket))
    with open("%s/%d.%s" % (ATTACHMENTS, ticket, ext), "w") as out:  # ok: path-traversal
        out.write(str(ticket))
    suffix = os.path.splitext(name)[1]
    with open(os.path.join(ATTACHMENTS, suffix), "w") as out:  # ok: path-traversal
        out.write(str(ticket))
    with open("/" + ext, "w") as out:  # expect: path-traversal
        out.write(str(ticket))
    return "exported"
