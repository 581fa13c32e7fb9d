from django.conf import settings
from django.db import models


class Appointment(models.Model):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=20, default="booked")
    note = models.TextField(blank=True)
