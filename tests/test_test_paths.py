"""Which modules are the reviewed tree's own test code (skipped unless --include-tests)."""

from __future__ import annotations

import pytest

from secreview.python.context import is_test_path


@pytest.mark.parametrize(
    "path",
    [
        "tests/test_views.py",
        "app/tests/helpers.py",
        "app/test/client.py",
        "app/testing/factories.py",
        "app/Tests/fakes.py",
        "app/test_views.py",
        "app/views_test.py",
        "conftest.py",
        # the helper packages a suite imports, with its settings module
        "src/shop/testutils/settings.py",
        "src/shop/test_utils/mail.py",
        "shop/testlib/db.py",
        "shop/test_helpers/users.py",
        "shop/testhelpers/users.py",
        "shop/functional_tests/pages.py",
        "shop/testutils.py",
        "shop/tests.py",  # Django's per-app test module
    ],
)
def test_test_code(path: str) -> None:
    assert is_test_path(path)


@pytest.mark.parametrize(
    "path",
    [
        "app/views.py",
        "app/contest/entries.py",  # "test" inside a word
        "app/attestation.py",
        "app/testimonials/views.py",
        "app/latest_tests_report.py",  # a feature named after tests, not a suite
        "flask/testing.py",  # test support a library ships to its users
        "werkzeug/test.py",
        "app/tests_report/views.py",
    ],
)
def test_product_code(path: str) -> None:
    assert not is_test_path(path)
