"""`cfg.update(...)` stores into the dict it is called on: options updated from the request
body hold request data; a copy of the defaults updated with constants does not."""

import subprocess

from flask import Flask, request

app = Flask(__name__)
DEFAULT_OPTIONS = {"page_size": "A4", "orientation": "Portrait", "dpi": "150"}


@app.route("/invoices/<int:invoice_id>/pdf", methods=["POST"])
def render_invoice(invoice_id):
    options = dict(DEFAULT_OPTIONS)
    options.update(request.get_json(silent=True) or {})
    command = (
        f"wkhtmltopdf --page-size {options['page_size']} --orientation {options['orientation']} "
        f"https://billing.internal/invoices/{invoice_id} /tmp/invoice-{invoice_id}.pdf"
    )
    subprocess.run(command, shell=True, check=True)  # expect: command-injection

    receipt = dict(DEFAULT_OPTIONS)
    receipt.update(page_size="A6", dpi="300")
    command = f"wkhtmltopdf --page-size {receipt['page_size']} --dpi {receipt['dpi']} https://billing.internal/receipts/{invoice_id} /tmp/receipt-{invoice_id}.pdf"
    subprocess.run(command, shell=True, check=True)  # ok: command-injection
    return "", 204
