"""Shared set-up for the blog's tests."""

from blog.factories import make_author, make_post


def author_with_posts(count=3):
    author = make_author()
    return author, [make_post(author, title=f"Post {i}") for i in range(count)]
