"""`eval-of-non-literal` does not report code built only from literals and module constants,
held in a local variable or taken from a constant dict under a constant key."""

import math

FORMULAS = {"vat": "price * 0.2", "discount": "price * 0.9"}
PRECISION = 2


def vat(price):
    expr = f"round({FORMULAS['vat']}, {PRECISION})"
    return eval(expr, {"round": round, "price": price})  # ok: eval-of-non-literal


def area(radius):
    code = "math.pi * r ** 2"
    return eval(code, {"math": math, "r": radius})  # ok: eval-of-non-literal


def custom(price, formula):
    expr = f"round({formula}, {PRECISION})"
    return eval(expr, {"round": round, "price": price})  # expect: eval-of-non-literal
