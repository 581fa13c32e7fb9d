"""`pickle-load` of a value built only from literals is not reported, even when it is held
in a local variable or assembled from module constants; a pickle read from a cache is."""

import pickle

import redis

cache = redis.Redis()
PROTOCOL_HEADER = b"\x80\x04"
EMPTY_CART = PROTOCOL_HEADER + b"\x95\x0b\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x05items\x94]\x94s."


def empty_cart():
    blob = PROTOCOL_HEADER + b"\x95\x0b\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x05items\x94]\x94s."
    return pickle.loads(blob)  # ok: pickle-load


def default_cart():
    return pickle.loads(EMPTY_CART)  # ok: pickle-load


def load_cart(session_id):
    blob = cache.get(f"cart:{session_id}")
    if blob is None:
        blob = EMPTY_CART
    return pickle.loads(blob)  # expect: pickle-load
