"""Appointments: a patient books, moves and cancels their own."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from appointments.models import Appointment


@login_required
def upcoming(request):
    appointments = Appointment.objects.filter(patient=request.user, status="booked")
    return render(request, "appointments/upcoming.html", {"appointments": appointments})


@login_required
@require_POST
def book(request):
    Appointment.objects.create(patient=request.user, starts_at=request.POST["starts_at"])
    return redirect("/appointments/")


class AppointmentDetail(LoginRequiredMixin, DetailView):
    model = Appointment

    def get_queryset(self):
        return Appointment.objects.filter(patient=self.request.user)


@login_required
@require_POST
def reschedule(request, pk):
    appointment = get_object_or_404(Appointment, pk=pk, patient=request.user)
    appointment.starts_at = request.POST["starts_at"]
    appointment.save()
    return redirect("/appointments/")


@require_POST
def cancel(request, pk):  # expect: missing-authorization
    appointment = get_object_or_404(Appointment, pk=pk)
    appointment.status = "cancelled"
    appointment.save()
    return redirect("/appointments/")


@login_required
@require_POST
def add_note(request, pk):
    appointment = get_object_or_404(Appointment, pk=pk, patient=request.user)
    appointment.note = request.POST["note"]
    appointment.save()
    return redirect("/appointments/")
