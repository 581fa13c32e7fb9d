from django.conf import settings
from django.db import models


class Record(models.Model):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    summary = models.TextField()
    shared_with = models.EmailField(blank=True)
    document = models.FileField(upload_to="records/")
