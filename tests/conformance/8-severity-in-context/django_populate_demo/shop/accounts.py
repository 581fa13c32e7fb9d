"""Account helpers used by the shop's signup views."""

import random

from django.contrib.auth.models import User


def create_support_account(shop):
    User.objects.create_user(f"support-{shop.pk}", password="demo-pass-2024")  # expect: hardcoded-password
    api_token = "%032x" % random.getrandbits(128)
    return api_token
