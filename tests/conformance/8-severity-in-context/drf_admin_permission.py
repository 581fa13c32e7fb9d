"""A DRF view with `permission_classes = [IsAdminUser]` is admin-only: its flow drops one
severity step; the same view class with `[IsAuthenticated]` keeps the full severity."""

import subprocess

from rest_framework import permissions
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView


class ServiceRestartView(APIView):
    permission_classes = [IsAdminUser]

    def post(self, request):
        unit = request.data["unit"]
        subprocess.run(f"systemctl restart {unit}", shell=True)  # expect: command-injection  # severity: high
        return Response(status=202)


class ServiceStatusView(APIView):
    permission_classes = (permissions.IsAdminUser,)

    def get(self, request):
        unit = request.query_params["unit"]
        out = subprocess.run(["systemctl", "status", unit], capture_output=True, text=True)  # ok: command-injection
        status = subprocess.run(f"systemctl is-active {unit}", shell=True, capture_output=True)  # expect: command-injection  # severity: high
        return Response({"status": out.stdout, "active": status.returncode == 0})


class ServiceLogsView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        unit = request.query_params["unit"]
        out = subprocess.run(f"journalctl -u {unit} -n 50", shell=True, capture_output=True)  # expect: command-injection  # severity: critical
        return Response({"log": out.stdout.decode()})
