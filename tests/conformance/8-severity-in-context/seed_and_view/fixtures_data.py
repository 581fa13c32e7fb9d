"""Demo tenants, imported only by the `seed` command."""

import random

from models import Tenant, db


def create_demo_tenants():
    for name in ("acme", "globex", "initech"):
        webhook_secret = "%030x" % random.getrandbits(120)
        db.session.add(Tenant(name=name, webhook_secret=webhook_secret))  # ok: insecure-random-for-security
    db.session.commit()
