"""Invoice files and shipping labels."""

import os
import re
import subprocess

INVOICES = "/srv/shop/invoices"
CARRIERS = {"dhl": "dhl-label", "ups": "ups-label"}
NUMBER = re.compile(r"[0-9]{1,12}")


def path_for(number):
    if not NUMBER.fullmatch(number):
        raise ValueError("not an invoice number")
    return os.path.join(INVOICES, number + ".pdf")


def print_label(carrier):
    subprocess.run("lp -d labels /srv/shop/labels/" + carrier + ".pdf", shell=True)
    program = CARRIERS.get(carrier, "dhl-label")
    subprocess.run([program, "--print"], check=True)
