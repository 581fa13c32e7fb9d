"""A demo catalogue and customers for sales demos (run by `manage.py populate_demo`)."""

import random

from django.contrib.auth.models import User

from shop.models import Coupon, Product

PRODUCTS = [("Espresso cup", 9), ("Grinder", 129), ("Kettle", 49)]


def create_demo_shop():
    User.objects.create_user("demo", "demo@example.com", password="demo-pass-2024")  # ok: hardcoded-password
    for name, price in PRODUCTS:
        Product.objects.create(name=name, price=price, stock=random.randint(0, 50))
    code = "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
    Coupon.objects.create(code=code, percent_off=10)
    api_token = "%032x" % random.getrandbits(128)  # ok: insecure-random-for-security
    return api_token
