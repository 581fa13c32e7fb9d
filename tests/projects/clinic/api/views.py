"""The REST API: the project's DEFAULT_PERMISSION_CLASSES require a login."""

import traceback

from appointments.models import Appointment
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from api.serializers import AppointmentSerializer, ClinicianSerializer
from api.triage import score


class AppointmentViewSet(viewsets.ModelViewSet):  # ok: missing-authorization
    serializer_class = AppointmentSerializer

    def get_queryset(self):
        return Appointment.objects.filter(patient=self.request.user)


class ClinicianViewSet(viewsets.ReadOnlyModelViewSet):  # ok: missing-authorization
    serializer_class = ClinicianSerializer


@api_view(["POST"])
def triage(request):
    try:
        return Response({"score": score(request.data)})
    except Exception:
        detail = {"error": traceback.format_exc()}
        return Response(detail, status=500)  # expect: exception-detail-to-client
