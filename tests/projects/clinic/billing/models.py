from django.conf import settings
from django.db import models


class Statement(models.Model):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    paid = models.BooleanField(default=False)
    refunded = models.BooleanField(default=False)
