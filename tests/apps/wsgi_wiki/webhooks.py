"""Delivers page-change notifications to the URL a hook registration names."""

import urllib.request

DEFAULT_HOOK = "https://hooks.example.com/wiki"


def deliver(request):
    payload = request.json()
    target = payload.get("callback", DEFAULT_HOOK)
    with urllib.request.urlopen(target, timeout=5) as response:
        status = response.status
    with urllib.request.urlopen(DEFAULT_HOOK, timeout=5) as response:
        status = response.status
    return f"<p>{status}</p>"
