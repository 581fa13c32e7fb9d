"""Medical records: each patient sees only their own."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import ListView

from records.models import Record


class RecordList(LoginRequiredMixin, ListView):
    def get_queryset(self):
        return Record.objects.filter(patient=self.request.user)


@login_required
def record_detail(request, pk):
    record = get_object_or_404(Record, pk=pk, patient=request.user)
    return render(request, "records/detail.html", {"record": record})


@login_required
def download(request, pk):  # expect: object-access-without-owner-check
    record = get_object_or_404(Record, pk=pk)
    return FileResponse(record.document.open("rb"))


@login_required
def share(request, pk):
    record = get_object_or_404(Record, pk=pk, patient=request.user)
    record.shared_with = request.POST["email"]
    record.save()
    return redirect("/records/")


def amend(request, pk):  # ok: missing-authorization, object-access-without-owner-check
    record = get_object_or_404(Record, pk=pk, patient=request.user)
    record.summary = request.POST["summary"]
    record.save()
    return redirect("/records/")
