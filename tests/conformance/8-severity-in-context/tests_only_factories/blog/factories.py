"""Sample authors and posts; only the test suite imports this module, so it is treated as
test code (no findings here), while blog/setup.py, imported from a view, is reviewed."""

import hashlib

from blog.models import Author, Post


def make_author(name="alice"):
    return Author.objects.create(
        username=name,
        password_hash=hashlib.md5(b"secret").hexdigest(),  # ok: fast-password-hash
    )


def make_post(author, title="Hello"):
    return Post.objects.create(author=author, title=title, body="Lorem ipsum")
