"""A helper of another module that builds the site's own URLs."""

from django.urls import reverse


def site_url(name, **kwargs):
    return reverse(name, kwargs=kwargs)
