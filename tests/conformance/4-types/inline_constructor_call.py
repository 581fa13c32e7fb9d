"""A method called straight on a constructor call (`Thumbnailer(size).render(name)`) resolves
on that class, as it does when the instance is first bound to a name."""

import subprocess

from flask import Flask, request

app = Flask(__name__)
UPLOADS = "/srv/uploads"


class Thumbnailer:
    def __init__(self, size):
        self.size = size

    def render(self, name):
        command = f"convert {UPLOADS}/{name} -thumbnail {self.size} {UPLOADS}/thumbs/{name}"
        return subprocess.run(command, shell=True, check=True)  # expect: command-injection


class Watermarker:
    def render(self, name):
        command = f"composite -gravity southeast /srv/brand/mark.png {UPLOADS}/{name} {UPLOADS}/{name}"
        return subprocess.run(command, shell=True, check=True)  # ok: command-injection


@app.route("/images/thumbnail", methods=["POST"])
def thumbnail():
    Thumbnailer("200x200").render(request.form["image"])
    Watermarker().render("banner.png")
    return "", 202
