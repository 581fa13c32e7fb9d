"""Tenant helpers: used by the `seed` command and by the signup view."""

import random

from models import Tenant, db


def create_tenant(name):
    webhook_secret = "%030x" % random.getrandbits(120)
    tenant = Tenant(name=name, webhook_secret=webhook_secret)  # expect: insecure-random-for-security
    db.session.add(tenant)
    db.session.commit()
    return tenant
