"""`threading.Thread(target=f, args=(...))` calls `f` with those arguments, position by
position: the request's label reaches `make_thumbnail`'s command; `transcode` gets a constant source."""

import logging
import subprocess
import threading

from flask import Flask, request

app = Flask(__name__)
MEDIA = "/srv/media"
log = logging.getLogger(__name__)


def make_thumbnail(source, label):
    subprocess.run(f"convert {MEDIA}/{source} -resize 256x256 {MEDIA}/thumbs/{label}.png", shell=True)  # expect: command-injection


def transcode(source, job_id):
    log.info("transcode job %s started", job_id)
    subprocess.run(f"ffmpeg -y -i {MEDIA}/{source} {MEDIA}/{source}.webm", shell=True)  # ok: command-injection


@app.route("/media/process", methods=["POST"])
def process():
    threading.Thread(target=make_thumbnail, args=("upload.jpg", request.form["label"])).start()
    worker = threading.Thread(target=transcode, args=("intro.mp4",), kwargs={"job_id": request.form["job"]})
    worker.start()
    return "", 202
