"""hardcoded-password: passwords written in the source."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import OPENSTACK, FixText, RuleMeta
from secreview.rules.support.hardcoded import candidates, confidence, message
from secreview.rules.support.pattern import Hit, Rule, register


@register
class HardcodedPassword(Rule):
    meta = RuleMeta(
        id="hardcoded-password",
        cwe=259,
        severity="high",
        confidence="high",
        title="Hard-coded password",
        why=(
            "A password in the source is readable by everyone with the repository, a wheel "
            "or a container image, is the same in every installation, and can only be "
            "changed with a release. Well-known defaults ('changeme', 'admin') are the first "
            "thing an attacker tries."
        ),
        example=(
            'DB_PASSWORD = "s3cr3t!"\n'
            'client.connect(host, username="admin", password="admin123")\n'
            "def login(user, password='hunter2'): ..."
        ),
        fix=(
            "Read it at run time from the environment or a secret store (Vault, a cloud secret "
            "manager) and fail when it is missing; never ship a default password."
        ),
        fix_by_api=(
            FixText(
                OPENSTACK,
                (
                    "Read it from configuration marked secret (`cfg.StrOpt('password', "
                    "secret=True)`) or a secret store (Barbican through Castellan), and fail when "
                    "it is missing; never ship a default password."
                ),
            ),
            FixText(
                ("django", "rest_framework"),
                (
                    "Read it from the environment in settings (`os.environ['DB_PASSWORD']`) or a "
                    "secret store, and fail when it is missing; never ship a default password."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/259.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        ),
    )
    nodes = (ast.Module,)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        for candidate in candidates(ctx):
            if candidate.kind == "password":
                yield Hit(candidate.node, message(candidate), confidence=confidence(candidate))
