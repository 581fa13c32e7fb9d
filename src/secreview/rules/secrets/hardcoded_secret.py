"""hardcoded-secret: API keys, tokens, client secrets and private keys written in the source."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import OPENSTACK, FixText, RuleMeta
from secreview.rules.support.hardcoded import candidates, confidence, message
from secreview.rules.support.pattern import Hit, Rule, register


@register
class HardcodedSecret(Rule):
    meta = RuleMeta(
        id="hardcoded-secret",
        cwe=798,
        severity="high",
        confidence="high",
        title="Hard-coded secret (token, API key, client secret)",
        why=(
            "A token, API key or client secret in the source is readable by everyone with "
            "the repository, a package or an image; whoever has it acts as the application "
            "towards the service it unlocks, until someone notices and rotates it."
        ),
        example=(
            'API_KEY = "3f9a1c0e7b2d4a6f"\n'
            'client = Client(client_secret="b1946ac92492d2347c6235b4d2611184")\n'
            'headers = {"X-Auth-Token": "gAAAAABl..."}'
        ),
        fix=(
            "Load it at run time from a secret store (Vault, a cloud secret manager) or the "
            "environment and fail when it is missing; rotate every secret that was committed, "
            "since history keeps it."
        ),
        fix_by_api=(
            FixText(
                OPENSTACK,
                (
                    "Load it from configuration marked secret (`secret=True`) or a secret store "
                    "(Barbican through Castellan) and fail when it is missing; rotate every secret "
                    "that was committed, since history keeps it."
                ),
            ),
            FixText(
                ("django", "rest_framework"),
                (
                    "Read it in settings from the environment (`os.environ['API_TOKEN']`) or a "
                    "secret store and fail when it is missing; rotate every secret that was "
                    "committed, since history keeps it."
                ),
            ),
            FixText(
                ("flask", "quart", "werkzeug", "flask_wtf", "flask_login", "flask_jwt_extended"),
                (
                    "Read it from the environment into the app's config (`app.config['API_TOKEN'] "
                    "= os.environ['API_TOKEN']`) and fail when it is missing; rotate every secret "
                    "that was committed, since history keeps it."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/798.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
        ),
    )
    nodes = (ast.Module,)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        for candidate in candidates(ctx):
            if candidate.kind in ("secret", "key"):
                yield Hit(candidate.node, message(candidate), confidence=confidence(candidate))
