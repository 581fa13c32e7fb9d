"""What another service's API client answers is that service's data, not the request data
it was sent: the id of the volume Cinder created is not the name the client asked for. A
library object that only formats what it is given passes the data on."""

import string

import webob
from cinderclient import client as cinder_client
from flask import Flask, request
from glanceclient import Client as GlanceClient

app = Flask(__name__)


def volume_client(token):
    return cinder_client.Client("3", auth_token=token)


def location_template():
    return string.Template("/volumes/$name")


@app.route("/volumes", methods=["POST"])
def create_volume():
    body = request.get_json()
    client = volume_client(request.headers["X-Auth-Token"])
    created = client.volumes.create(body["size"], name=body["name"])
    resp = webob.Response(status=201)
    resp.headers["Location"] = f"/volumes/{created.id}"  # ok: header-injection
    resp.headers["X-Volume-Name"] = body["name"]  # expect: header-injection
    return resp


@app.route("/images", methods=["POST"])
def create_image():
    body = request.get_json()
    glance = GlanceClient("2", endpoint=body["endpoint"])
    image = glance.images.create(name=body["name"], disk_format="qcow2")
    resp = webob.Response(status=201)
    resp.headers["Location"] = "/images/" + image["id"]  # ok: header-injection
    return resp


@app.route("/volumes/preview", methods=["POST"])
def preview_volume():
    body = request.get_json()
    where = location_template().substitute(name=body["name"])
    resp = webob.Response(status=200)
    resp.headers["Location"] = where  # expect: header-injection
    return resp
