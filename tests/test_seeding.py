"""Which modules only create demo or test data (`secreview.python.seeding`)."""

from __future__ import annotations

from secreview.python.seeding import demo_modules, imports_of_test_file


def test_a_test_files_imports_are_read_from_its_text() -> None:
    text = (
        "import os, app.models as models\n"
        "from app.factories import make_user\n"
        "from . import helpers\n"
        "from ..fixtures import data\n"
        "    from app import late  # inside a function\n"
    )
    found = imports_of_test_file(text, "app.tests.test_views", is_package=False)
    assert found == ("app", "app.factories", "app.fixtures", "app.models", "app.tests", "os")


def test_import_lines_are_found_wherever_the_word_falls_on_the_line() -> None:
    # lines tried only where they say `import`: a name holding the word, a line that says
    # it twice, a mention in a string or comment (no import), a last line with no newline
    text = (
        'x = "import nothing"  # import this\n'
        "from importlib import import_module\n"
        "\timport json.tool, importer\r\n"
        "y = 1\n"
        "import zipimport"
    )
    found = imports_of_test_file(text, "app.tests.test_views", is_package=False)
    assert found == ("importer", "importlib", "json.tool", "zipimport")


def test_only_tests_or_seeding_commands_import_a_demo_module() -> None:
    modules = {
        "app.factories": (False, ()),  # named for test data, only tests import it: demo
        "app.routes": (False, ()),  # only tests import it, but it is loaded by configuration
        "app.demo_data": (False, ()),  # only the seed command imports it
        "app.seedlib": (False, ()),  # only a demo module imports it
        "app.onboarding": (False, ()),  # a view imports it too
        "app.tests.test_views": (
            True,
            (("app.factories.make_user", False), ("app.routes", False), ("app.onboarding", False)),
        ),
        "app.cli": (False, (("app.demo_data.load", True), ("app.onboarding", True))),
        "app.demo_data_helpers": (False, ()),
        "app.views": (False, (("app.onboarding.create_admin", False),)),
    }
    modules["app.demo_data"] = (False, (("app.seedlib.rows", False),))
    assert demo_modules(modules) == {"app.factories", "app.demo_data", "app.seedlib"}
