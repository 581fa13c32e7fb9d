"""Two Flask CLI commands: the module only `seed-demo` imports creates demo data (treated
as test code); the module the production `create-admin` command imports is reviewed."""

import click
from flask.cli import with_appcontext


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Fill a local database with sample projects and users."""
    from sample_content import load_sample_content

    load_sample_content()


@click.command("create-admin")
@click.argument("email")
@with_appcontext
def create_admin_command(email):
    """Create the first administrator of a new installation."""
    from bootstrap import create_admin

    create_admin(email)


def register(app):
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin_command)
