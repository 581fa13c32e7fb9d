"""Signing of URLs the server puts in its own pages, with the deployment's secret key."""

import hashlib
import hmac

SECRET_KEY = b"set-from-the-environment-in-production"


def sign(value):
    if isinstance(value, str):
        value = value.encode("utf-8")
    return hmac.new(SECRET_KEY, value, hashlib.sha256).hexdigest()


def checksum(value):
    """Not keyed: anyone can compute it for any value."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
