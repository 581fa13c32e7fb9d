"""In a loop, `if x not in ALLOWED: continue` protects the rest of the iteration; the same
test without the `continue` protects nothing."""

import subprocess

from django.http import JsonResponse

ALLOWED_CHECKS = ("disk", "memory", "load")


def run_checks(request):
    results = {}
    for check in request.POST.getlist("check"):
        if check not in ALLOWED_CHECKS:
            continue
        results[check] = subprocess.getoutput(f"/usr/lib/nagios/plugins/check_{check}")  # ok: command-injection
    return JsonResponse(results)


def run_checks_loose(request):
    results = {}
    for check in request.POST.getlist("check"):
        if check not in ALLOWED_CHECKS:
            results[check] = "not allowed"
        results[check] = subprocess.getoutput(f"/usr/lib/nagios/plugins/check_{check}")  # expect: command-injection
    return JsonResponse(results)
