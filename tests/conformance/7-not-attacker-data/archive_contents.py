"""What an archive holds is the file's, not the name it was opened by: a package saved under
a name the client gave, then opened by that name (`zipfile.ZipFile(path)`, here or in a
helper given the path), holds what was written into it; its manifest is not the name's
data. An archive opened on the upload itself (the request's file, its stream, its bytes)
holds the uploader's bytes, and a member whose content is itself the attack (a pickle)
stays the attacker's when the attacker chose the file."""

import io
import os
import pickle
import tarfile
import zipfile

from flask import Flask, request
from lxml import etree

app = Flask(__name__)
PACKAGES = "/srv/packages"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def package_manifest(path):
    """The manifest document of a package on disk."""
    archive = zipfile.ZipFile(path)
    return etree.fromstring(archive.read("META-INF/manifest.xml"), parser=_PARSER)


def entry_point(path):
    """The href of the item the manifest names as the package's entry point."""
    root = package_manifest(path)
    main = root.xpath("/manifest/meta[@name='main']/@content")[0]
    return root.xpath("/manifest/item[@id='" + main + "']/@href")  # ok: xpath-injection


def entry_point_of(package):
    """The same query over a package given as an open file."""
    root = etree.fromstring(zipfile.ZipFile(package).read("META-INF/manifest.xml"))
    main = root.xpath("/manifest/meta[@name='main']/@content")[0]
    return root.xpath("/manifest/item[@id='" + main + "']/@href")  # expect: xpath-injection


def load_state(path):
    """A package's saved state: the pickle in it runs when loaded."""
    with zipfile.ZipFile(path) as archive:
        return pickle.loads(archive.read("state.pkl"))  # expect: unsafe-deserialization


@app.route("/packages", methods=["POST"])
def add_package():
    upload = request.files["package"]
    saved = os.path.join(PACKAGES, upload.filename + ".zip")
    upload.save(saved)
    return {"entry": entry_point(saved)}


@app.route("/packages/preview", methods=["POST"])
def preview_package():
    upload = request.files["package"]
    return {"entry": entry_point_of(upload.stream)}


@app.route("/packages/preview-bytes", methods=["POST"])
def preview_package_bytes():
    upload = request.files["package"]
    return {"entry": entry_point_of(io.BytesIO(upload.read()))}


@app.route("/packages/state")
def package_state():
    name = request.args["package"]
    return {"keys": len(load_state(os.path.join(PACKAGES, name)))}


@app.route("/packages/import", methods=["POST"])
def import_package():
    upload = request.files["package"]
    with zipfile.ZipFile(upload) as archive:
        archive.extractall("/srv/imported")  # expect: zip-extract-untrusted
        members = archive.read("members.pkl")
    return {"members": len(pickle.loads(members))}  # expect: unsafe-deserialization


@app.route("/themes/install")
def install_theme():
    name = request.args["theme"]
    with tarfile.open(f"/srv/themes/{name}.tar") as bundle:
        bundle.extractall("/srv/active-theme")  # expect: path-traversal
    return "", 204
