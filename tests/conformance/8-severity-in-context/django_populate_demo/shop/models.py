from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)


class Coupon(models.Model):
    code = models.CharField(max_length=16, unique=True)
    percent_off = models.PositiveSmallIntegerField()


class Shop(models.Model):
    name = models.CharField(max_length=200)
