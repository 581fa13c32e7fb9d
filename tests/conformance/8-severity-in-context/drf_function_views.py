"""DRF function views: `@permission_classes([IsAdminUser])` makes one admin-only (its flow
drops one severity step); `[IsAuthenticated]` does not."""

import requests
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response

WEBHOOK_TEST_TIMEOUT = 5


@api_view(["POST"])
@permission_classes([IsAdminUser])
def ping_webhook(request):
    url = request.data["url"]
    answer = requests.post(url, json={"ping": True}, timeout=WEBHOOK_TEST_TIMEOUT)  # expect: ssrf  # severity: medium
    return Response({"status": answer.status_code})


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def preview_link(request):
    answer = requests.get(request.data["url"], timeout=WEBHOOK_TEST_TIMEOUT)  # expect: ssrf  # severity: high
    return Response({"status": answer.status_code})


@api_view(["GET"])
@permission_classes([IsAdminUser])
def webhook_health(request):
    answer = requests.get("https://hooks.internal/health", timeout=WEBHOOK_TEST_TIMEOUT)  # ok: ssrf
    return Response({"status": answer.status_code})
