"""Two Django views share a mixin method that reads `self.title`: one view sets it from the
request and logs it, the other sets a constant and puts it in a shell command. The first
view's request data never reaches the second view's command."""

import logging
import subprocess

from django.http import HttpResponse
from django.views import View

logger = logging.getLogger("reports")


class ReportMixin:
    period = "all"

    def report_title(self):
        return f"{self.title} ({self.period})"


class CustomReportView(ReportMixin, View):
    def get(self, request):
        self.title = request.GET["title"]  # step: log-injection
        self.period = "custom"
        logger.info("rendering " + self.report_title())  # expect: log-injection
        return HttpResponse(status=202)


class WeeklyReportView(ReportMixin, View):
    def get(self, request):
        self.title = "Weekly sales"  # not-step: log-injection
        self.period = "week"
        subprocess.run(f"/opt/reports/render --title '{self.report_title()}'", shell=True)  # ok: command-injection
        return HttpResponse(status=202)
