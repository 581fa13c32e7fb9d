"""`manage.py populate_demo`: a module only this seeding command imports creates demo data
and is treated as test code; the same code imported from a view is reported."""

from django.core.management.base import BaseCommand

from shop.demo import create_demo_shop


class Command(BaseCommand):
    help = "Fill the database with a demo catalogue and customers."

    def handle(self, *args, **options):
        token = create_demo_shop()
        self.stdout.write(f"demo shop ready, API token {token[:4]}…")
