"""Request data in the session is the user's own choice while nothing takes it for the
server's; the key a guard reads is a trust boundary."""

from flask import Flask, abort, render_template, request, session

app = Flask(__name__)


@app.route("/prefs", methods=["POST"])
def prefs():
    session["lang"] = request.form.get("lang", "en")  # ok: trust-boundary-violation
    session["tier"] = request.form.get("tier", "free")  # expect: trust-boundary-violation
    return "", 204


@app.route("/reports")
def reports():
    if session.get("tier") != "pro":  # the read the finding names
        abort(402)
    return render_template("reports.html", lang=session.get("lang", "en"))
