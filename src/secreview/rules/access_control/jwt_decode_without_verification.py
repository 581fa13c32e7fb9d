"""jwt-decode-without-verification: JWTs decoded with the signature check off or `none` allowed."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import assigned_values, written_dict
from secreview.rules.support.jwt_decoders import JWT_DECODERS
from secreview.rules.support.pattern import Hit, Rule, register


@register
class JwtDecodeWithoutVerification(Rule):
    meta = RuleMeta(
        id="jwt-decode-without-verification",
        cwe=347,
        severity="high",
        confidence="high",
        title="JWT decoded without verifying its signature",
        why=(
            "A JWT's claims (user, roles, expiry) are only as trustworthy as its signature. "
            "Decoding with verification off, accepting the 'none' algorithm, or letting the "
            "token's own header pick the algorithm, lets anyone write a token with any claims "
            "and be taken for any user."
        ),
        example=(
            'jwt.decode(token, options={"verify_signature": False})\n'
            'jwt.decode(token, key, algorithms=["HS256", "none"])'
        ),
        fix=(
            "Verify with the issuer's key and an explicit algorithm list: "
            'jwt.decode(token, key, algorithms=["RS256"], audience=...). To read the header '
            "(e.g. 'kid') before choosing the key, use jwt.get_unverified_header(token)."
        ),
        fix_by_api=(
            FixText(
                ("jose",),
                (
                    "Verify with the issuer's key and an explicit algorithm list: "
                    "`jose.jwt.decode(token, key, algorithms=['RS256'], audience=...)`; read the "
                    "header with `jwt.get_unverified_header(token)` to choose the key."
                ),
            ),
            FixText(
                ("jwt",),
                (
                    "Verify with the issuer's key and an explicit algorithm list: "
                    "`jwt.decode(token, key, algorithms=['RS256'], audience=...)`. To read the "
                    "header (e.g. 'kid') before choosing the key, use "
                    "`jwt.get_unverified_header(token)`."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/347.html",
            "https://pyjwt.readthedocs.io/en/stable/usage.html#reading-the-claimset-without-validation",
            "https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html",
        ),
    )
    calls = JWT_DECODERS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        options = written_dict(keyword(call, "options"), ctx)
        if options.get("verify_signature") is False:
            yield Hit(
                call,
                f"{name}() with options verify_signature=False accepts a token with any "
                "claims and any signature (or none): its content must not be trusted.",
            )
            return
        if ctx.constant_value(keyword(call, "verify")) is False:
            yield Hit(
                call,
                f"{name}(..., verify=False) skips the signature check in PyJWT 1.x (2.x "
                "ignores the argument): a forged token is accepted.",
                confidence="medium",
            )
            return
        chosen = argument(call, 2, "algorithms")
        origin = _token_chosen(chosen, ctx)
        if origin is not None:
            yield Hit(
                call,
                f"{name}() takes its algorithms from {origin}: the token names the algorithm "
                "it is checked with, so a forged one says 'none', or HS256 with the RSA public "
                "key as the secret.",
            )
            return
        algorithms = ctx.constant_value(chosen)
        if isinstance(algorithms, str):
            algorithms = [algorithms]
        if isinstance(algorithms, (list, tuple, set)) and any(
            isinstance(a, str) and a.lower() == "none" for a in algorithms
        ):
            yield Hit(
                call,
                f"{name}() accepts the 'none' algorithm: an unsigned token with any claims "
                "verifies.",
            )


_HEADER_READERS = frozenset(
    {"jwt.get_unverified_header", "jwt.api_jws.get_unverified_header"}
    | {"jwt.PyJWS.get_unverified_header", "jose.jwt.get_unverified_header"}
    | {"jose.jws.get_unverified_header", "jwt.algorithms.get_default_algorithms"}
)


def _token_chosen(node: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> str | None:
    """The call an algorithm list comes from when the token (or the library's full list,
    `none` included) chooses it: `[header["alg"]]` with `header` read unverified. Only
    where the value comes from: `keys[header["kid"]].algorithm` is the server's key's."""
    if node is None or depth > 4:
        return None
    if isinstance(node, ast.Call):
        called = ctx.resolve(node.func)
        if called in _HEADER_READERS:
            return f"{called.rsplit('.', 1)[-1]}()"
        sources: list[ast.AST] = list(node.args)
        if isinstance(node.func, ast.Attribute):
            sources.append(node.func.value)  # `header.get("alg")`
        return _first(sources, ctx, depth)
    if isinstance(node, (ast.Subscript, ast.Attribute, ast.Starred)):
        return _token_chosen(node.value, ctx, depth + 1)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return _first(node.elts, ctx, depth)
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if len(values) == 1 and values[0] is not node:
            return _token_chosen(values[0], ctx, depth + 1)
    return None


def _first(nodes: list[ast.AST], ctx: ModuleContext, depth: int) -> str | None:
    for item in nodes:
        found = _token_chosen(item, ctx, depth + 1)
        if found is not None:
            return found
    return None
