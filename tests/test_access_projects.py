"""Two example projects, a Django clinic portal (several apps) and a Flask team board
(blueprints), each with a dozen views or more: exactly the defective views are reported by
the access-control rules, and every finding names its evidence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from secreview.config import Config
from secreview.model import Finding, Location
from secreview.pipeline import run_review
from secreview.python.access.facts import PolicyDefault
from secreview.python.access.project import _admin_text, _project_owned

PROJECTS = Path(__file__).parent / "projects"
OPENSTACK = Path(__file__).parent / "fixtures" / "query-not-scoped-to-project"
RULES = (
    "missing-authorization",
    "object-access-without-owner-check",
    "authorization-from-client-data",
    "policy-default-allows-anyone",
    "timing-unsafe-comparison",
    "exception-detail-to-client",
    "state-change-on-get",
    "identity-in-unsigned-cookie",
    "session-not-renewed-on-login",
    "login-without-attempt-limit",
    "password-stored-in-plaintext",
    "jwt-expiry-not-checked",
    "password-in-response",
    "query-not-scoped-to-project",
    "logout-leaves-session-valid",
    "stored-secret-in-response",
    "json-endpoint-without-csrf",
)
EXPECT = re.compile(r"#\s*expect\s*:\s*([a-z0-9, -]+)")


def _expected(project: Path) -> set[tuple[str, int, str]]:
    marks = set()
    for file in sorted(project.rglob("*.py")):
        for number, text in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            for ids in EXPECT.findall(text):
                for rule in ids.split(","):
                    marks.add((file.relative_to(project).as_posix(), number, rule.strip()))
    return marks


def _review(project: Path) -> list[Finding]:
    review = run_review([str(project)], Config(include_tests=True, jobs=1, rules=RULES))
    assert not review.diagnostics, review.diagnostics
    return list(review.findings)


@pytest.mark.parametrize("name", ["clinic", "teamboard"])
def test_exactly_the_defective_views(name: str) -> None:
    project = PROJECTS / name
    findings = _review(project)
    # paths are relative to the review root (the work tree): `tests/projects/<name>/...`
    reported = {
        (f.location.path.split(f"projects/{name}/", 1)[-1], f.location.line, f.rule_id)
        for f in findings
    }
    assert reported == _expected(project)
    assert len(_expected(project)) >= 4


@pytest.mark.parametrize("name", ["clinic", "teamboard"])
def test_every_finding_cites_its_evidence(name: str) -> None:
    for finding in _review(PROJECTS / name):
        if finding.rule_id == "missing-authorization":
            siblings = [s for s in finding.trace if s.note.startswith("sibling `")]
            assert len(siblings) >= 3, finding
            assert all(s.note.split("`")[1] in finding.message for s in siblings)
            assert "of the other" in finding.message
        elif finding.rule_id == "object-access-without-owner-check":
            scoped = [s for s in finding.trace if "scopes" in s.note]
            assert len(scoped) >= 2, finding
            assert all(s.note.split("`")[1] in finding.message for s in scoped)
        elif finding.rule_id == "authorization-from-client-data":
            assert "request." in finding.message and "the client sends" in finding.message
        elif finding.rule_id == "timing-unsafe-comparison":
            assert "`" in finding.message and "==" in finding.message
        elif finding.rule_id == "exception-detail-to-client":
            assert "traceback" in finding.message or "caught by" in finding.message
        elif finding.rule_id == "login-without-attempt-limit":
            assert "nothing in" in finding.message and "limits attempts" in finding.message


ODD = """
from flask import Blueprint, request
from django.views import View
from oslo_policy import policy

bp = Blueprint("odd", __name__)
bases = (View,)


@bp.route("/a", methods=METHODS)
@(lambda f: f)
def a(): ...


@bp.route(f"/{bp.name}")
def b(*args, **kwargs):
    del request.args
    return None


class C(*bases):
    permission_classes = lambda self: []  # noqa: E731
    decorators = ()


rules = [
    policy.RuleDefault(),
    policy.RuleDefault(name=None, check_str=None),
    policy.DocumentedRuleDefault("x:delete", check_str="rule:x:delete", operations="*"),
    policy.DocumentedRuleDefault("y:delete", "rule:z"),
    policy.DocumentedRuleDefault("z", "rule:y:delete"),
]
"""


def test_odd_code_is_no_crash(tmp_path: Path) -> None:
    """Views and policies written in unusual ways, and rules that name each other in a
    cycle, leave the review complete."""
    (tmp_path / "odd_views.py").write_text(ODD, encoding="utf-8")
    review = run_review([str(tmp_path)], Config(jobs=1, rules=RULES))
    assert not review.diagnostics, review.diagnostics


ODD_OPENSTACK = """
from oslo_policy import policy


class ServersController:
    def show(self, req, *args, **kwargs):
        context = req.environ.get("compute.context")
        context.can()
        with context.elevated() as (a, b), open(args[0]) as handle:
            objects.Server.get_by_id(a, kwargs["id"], handle)
        policy.enforce()
        policy.authorize(context)
        return objects.Server.get(context.elevated(), *args)

    def delete(self, req, id=None):
        context = req.context
        context.can(ROOT % ("x",), target=lambda: id)
        context.can(UNKNOWN % "delete", {"project_id": id})
        db.server_destroy(context.elevated(), id)


rules = [
    policy.RuleDefault("compute:show", "rule:loop"),
    policy.RuleDefault("loop", "rule:compute:show"),
]
"""


def test_odd_controllers_are_no_crash(tmp_path: Path) -> None:
    """Controllers written in unusual ways, and policies that name each other in a cycle,
    leave the review complete."""
    (tmp_path / "odd_api.py").write_text(ODD_OPENSTACK, encoding="utf-8")
    review = run_review([str(tmp_path)], Config(jobs=1, rules=RULES))
    assert not review.diagnostics, review.diagnostics


def test_unscoped_query_cites_siblings_or_policy() -> None:
    """Each finding names the sibling handlers that scope (trace steps and message), or the
    policy default and its check string, and points at the lookup."""
    findings = [f for f in _review(OPENSTACK) if f.rule_id == "query-not-scoped-to-project"]
    assert len(findings) >= 4
    for finding in findings:
        siblings = [s for s in finding.trace if s.note.endswith("scopes to the caller")]
        policies = [s for s in finding.trace if s.note.startswith("policy `")]
        assert siblings or policies, finding
        assert all(s.note.split("`")[1] in finding.message for s in siblings)
        assert all(s.note.split("`")[1] in finding.message for s in policies)
        assert finding.trace[-1].location.line == finding.location.line
        assert f"at line {finding.location.line}" in finding.message
        if finding.confidence == "medium":
            assert len(siblings) >= 2


def _defaults(**checks: str) -> dict[str, PolicyDefault]:
    finding = Finding("policy", 862, "", "", "high", "medium", Location("policies.py", 1))
    return {name: PolicyDefault(name, check, "", None, finding) for name, check in checks.items()}


def test_admin_only_check_strings() -> None:
    """Every alternative must need an administrator, through `rule:` references."""
    defaults = _defaults(
        context_is_admin="role:admin",
        admin_or_owner="is_admin:True or project_id:%(project_id)s",
        member="role:member and project_id:%(project_id)s",
    )
    assert _admin_text("rule:context_is_admin", defaults, {}, 4)
    assert _admin_text("(role:admin and system_scope:all) or rule:admin_api", defaults, {}, 4)
    assert _admin_text("role:reader and rule:context_is_admin", defaults, {}, 4)
    assert not _admin_text("rule:admin_or_owner", defaults, {}, 4)
    assert not _admin_text("(role:member) or rule:context_is_admin", defaults, {}, 4)
    assert not _admin_text("", defaults, {}, 4)
    assert _project_owned("rule:member or rule:context_is_admin", defaults, {}, 4)
    assert not _project_owned("role:reader or rule:context_is_admin", defaults, {}, 4)
