"""Creates the site's first author from the install view."""

import hashlib

from blog.models import Author


def create_owner(username, password):
    return Author.objects.create(
        username=username,
        password_hash=hashlib.md5(password.encode()).hexdigest(),  # expect: fast-password-hash
    )
