"""A dict passed into a function of another module keeps each value under its own constant
key there: the callee's constant-key read of the constant is not attacker data."""

from flask import Flask, request, send_file

from render import render_pdf

app = Flask(__name__)


@app.post("/invoices/pdf")
def invoice_pdf():
    options = {"page_size": "A4", "title": request.form.get("title", "Invoice")}
    return send_file(render_pdf(options))
