"""password-written-to-file: a password written to a file as it is.

Reported: a password value (a local, parameter or attribute named `password`, `passwd`,
`smtp_password`; or a dict key so named with such a value) in what is written to a file:
`fh.write(...)`/`writelines` on a file the function opened (`with open(...) as fh`,
`fh = open(...)`), `Path(...).write_text(...)`, or `json.dump`/`yaml.dump`/`pickle.dump` of
it into a stream. Not reported: a value hashed or encrypted on the way (a call named for
hashing or encrypting, a local assigned from one), a name that is about a password but is
not one (`password_hash`, `min_password_length`, `password_expires_days`), a user model's
`password` attribute (its hash), and writes to `stdout`/`stderr`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, last_name
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import enclosing_function
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register

_PASSWORD = frozenset({"password", "passwd", "passphrase"})
# words that make a password-named value something else than the password itself
_NOT_PASSWORD = frozenset(
    {
        "hash", "hashed", "digest", "encrypted", "crypted", "enc", "cipher", "ciphertext",
        "file", "path", "prompt", "policy", "min", "max", "length", "len", "expires",
        "expiry", "days", "age", "reset", "field", "label", "changed", "required", "is",
        "has", "needs", "set", "url", "help", "text", "form", "validator", "validators",
        "strength", "history", "count", "attempts", "type", "format", "salt", "id",
    }
)  # fmt: skip
_PROTECTS = frozenset(
    {"hash", "hashpw", "encrypt", "crypt", "fernet", "sign", "pbkdf2", "scrypt", "argon2"}
)
_OWNERS = frozenset({"user", "account", "member", "customer", "owner", "profile", "person"})
_DUMPS = frozenset(
    {"json.dump", "yaml.dump", "yaml.safe_dump", "pickle.dump", "toml.dump", "marshal.dump"}
)
_OPENS = frozenset({"open", "fdopen"})


@register
class PasswordWrittenToFile(Rule):
    meta = RuleMeta(
        id="password-written-to-file",
        cwe=312,
        severity="medium",
        confidence="medium",
        title="Password written to a file in the clear",
        why=(
            "A password kept in a file as it is can be read by whoever reads the file: other "
            "accounts on the host, backups, a misconfigured web server, a leaked image."
        ),
        example=(
            "with open('config/database.json', 'w') as fh:\n"
            "    json.dump({'user': user, 'password': password}, fh)"
        ),
        fix=(
            "Store a hash of a password that only has to be checked (bcrypt, argon2); keep a "
            "password the program must send in a secret store or the environment, or encrypt "
            "it with a key kept elsewhere, and make the file readable by its owner only."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/312.html",
            "https://cwe.mitre.org/data/definitions/256.html",
        ),
    )
    calls = _DUMPS
    nodes = (ast.Call,)
    methods = frozenset({"write", "writelines", "write_text", "write_bytes"})
    triggers = frozenset({"password", "passwd", "passphrase"})
    triggers_ignore_case = True

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if len(call.args) < 2:
            return  # `json.dumps` is `check_node`'s, through the write of its text
        found = _password_in(call.args[0], call, ctx)
        if found:
            yield Hit(call, f"`{name}` writes {found} to a file in the clear.")

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in self.methods or not node.args:
            return
        if func.attr in ("write", "writelines") and not _opened_file(func.value, node, ctx):
            return
        found = _password_in(node.args[0], node, ctx)
        if found:
            yield Hit(node, f"`{ast.unparse(func)[:40]}` writes {found} to a file in the clear.")


def _opened_file(holder: ast.expr, at: ast.AST, ctx: ModuleContext) -> bool:
    """`holder` is a name the enclosing function bound to `open(...)` (`with ... as`, `=`)."""
    if not isinstance(holder, ast.Name):
        return False
    function = enclosing_function(at, ctx)
    if function is None:
        return False
    for sub in ast.walk(function):
        if isinstance(sub, ast.withitem):
            bound, value = sub.optional_vars, sub.context_expr
        elif isinstance(sub, ast.Assign) and len(sub.targets) == 1:
            bound, value = sub.targets[0], sub.value
        else:
            continue
        if (
            isinstance(bound, ast.Name)
            and bound.id == holder.id
            and isinstance(value, ast.Call)
            and last_name(value.func) in _OPENS
        ):
            return True
    return False


def _password_in(value: ast.expr, at: ast.AST, ctx: ModuleContext, depth: int = 0) -> str:
    """How `value` carries a password as it is ("`password`", "the key `password`"), or ""."""
    for sub in _unprotected(value):
        if isinstance(sub, ast.Dict):
            for key, item in zip(sub.keys, sub.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and isinstance(key.value, str)
                    and _is_password(key.value)
                    and not ctx.is_constant(item)
                    and not _protected(item, at, ctx)
                ):
                    return f"`{ast.unparse(item)[:40]}` as `{key.value}`"
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            if _is_password(sub.id) and not _protected(sub, at, ctx):
                return f"`{sub.id}`"
            if depth < 2:
                for assigned in _assigned(sub.id, at, ctx):
                    found = _password_in(assigned, at, ctx, depth + 1)
                    if found:
                        return found
        elif (
            isinstance(sub, ast.Attribute)
            and _is_password(sub.attr)
            and not set(words(last_name(sub.value))) & _OWNERS
        ):
            return f"`{ast.unparse(sub)[:40]}`"
    return ""


def _unprotected(value: ast.expr) -> list[ast.AST]:
    """The nodes of `value`, but not those under a call that hashes or encrypts."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call) and set(words(last_name(node.func))) & _PROTECTS:
            continue
        out.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return out


def _protected(item: ast.expr, at: ast.AST, ctx: ModuleContext) -> bool:
    """A call that hashes or encrypts, or a local assigned only from one."""
    if isinstance(item, ast.Call):  # `Fernet(key).encrypt(pw.encode()).decode()`
        return any(
            isinstance(sub, ast.Call) and set(words(last_name(sub.func))) & _PROTECTS
            for sub in ast.walk(item)
        )
    if isinstance(item, ast.Name):
        values = _assigned(item.id, at, ctx)
        return bool(values) and all(_protected(v, at, ctx) for v in values)
    return False


def _assigned(name: str, at: ast.AST, ctx: ModuleContext) -> list[ast.expr]:
    function = enclosing_function(at, ctx)
    if function is None:
        return []
    return [
        sub.value
        for sub in ast.walk(function)
        if isinstance(sub, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in sub.targets)
    ]


def _is_password(name: str) -> bool:
    parts = set(words(name))
    return bool(parts & _PASSWORD) and not parts & _NOT_PASSWORD
