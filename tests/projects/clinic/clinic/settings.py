"""A clinic's patient portal: appointments, medical records, billing, accounts, an API."""

import os

SECRET_KEY = os.environ["CLINIC_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["portal.clinic.example"]
ROOT_URLCONF = "clinic.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "rest_framework",
    "appointments",
    "records",
    "billing",
    "accounts",
    "api",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
