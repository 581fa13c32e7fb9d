"""Helpers between the routes and the system: attachments, host checks, settings, webhooks."""

from __future__ import annotations

import os

import requests
import yaml

import shell

WEBHOOK_URL = "https://hooks.internal.example.com/notes"


def read_attachment(base_dir: str, name: str) -> bytes:
    # os.path.join does not stop "../../etc/passwd" (or an absolute name) leaving base_dir
    path = os.path.join(base_dir, name)
    with open(path, "rb") as handle:
        return handle.read()


def check_host(host: str) -> str:
    return shell.ping(host, count=3)


def trace_route(host: str) -> str:
    return shell.traceroute(host)


def parse_settings(body: bytes) -> dict:
    settings = yaml.load(body, Loader=yaml.Loader)
    return settings if isinstance(settings, dict) else {}


def load_defaults(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def forward_event(event: dict) -> int:
    # the internal hook uses a self-signed certificate, so someone turned verification off
    response = requests.post(WEBHOOK_URL, json=event, timeout=10, verify=False)
    return response.status_code
