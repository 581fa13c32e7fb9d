"""A builder whose methods store their argument and return `self`: the command built by a
chain that received request data is attacker data, a chain of constants is not."""

import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


class CommandBuilder:
    def __init__(self, program):
        self.parts = [program]

    def arg(self, value):
        self.parts.append(value)
        return self

    def build(self):
        return " ".join(self.parts)


@app.route("/media/transcode", methods=["POST"])
def transcode():
    source = request.form["source"]
    probe = CommandBuilder("ffprobe").arg("-hide_banner").arg("/srv/media/intro.mp4").build()
    subprocess.run(probe, shell=True, check=True)  # ok: command-injection
    encode = CommandBuilder("ffmpeg").arg("-i").arg(source).arg("/srv/media/out.webm").build()
    subprocess.run(encode, shell=True, check=True)  # expect: command-injection
    quoted = CommandBuilder("ffmpeg").arg("-i").arg(shlex.quote(source)).arg("/srv/media/out.webm").build()
    subprocess.run(quoted, shell=True, check=True)  # ok: command-injection
    return "", 202
