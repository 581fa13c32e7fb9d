"""How a tree reads its configuration options: as file names only, or as values.

An option named like a key (`nova_client_priv_key`, `listener_tls_key`) holds a file name when
every read of it is one: opened or tested on disk, passed as `keyfile=`/`certfile=`, handed to
`load_cert_chain`, or paired with a certificate as requests' `cert=(cert, key)`. A read in a
truth test or a log call says nothing either way; any other read (signing with it, sending it
in a header) is a use of the value. `oslo-secret-option-not-secret` decides across modules by
what every module reads (`ModuleResult.option_uses`): its name is only a hint.
"""

from __future__ import annotations

import ast

from secreview.python.context import ModuleContext

# calls whose first argument (or any argument, for the `ssl` loaders) is a file name
_PATH_CALLS = frozenset(
    {
        "open",
        "io.open",
        "codecs.open",
        "pathlib.Path",
        "os.open",
        "os.stat",
        "os.access",
        "os.chmod",
        "os.remove",
        "os.unlink",
        "os.path.exists",
        "os.path.isfile",
        "os.path.getsize",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.expanduser",
        "os.path.basename",
        "os.path.dirname",
        "fileutils.ensure_tree",
        "shutil.copy",
        "shutil.copyfile",
    }
)
_PATH_METHODS = frozenset(
    {
        "load_cert_chain",
        "load_verify_locations",
        "use_privatekey_file",
        "use_certificate_file",
        "use_certificate_chain_file",
        "read_text",
        "read_bytes",
    }
)
_PATH_KEYWORDS = frozenset(
    {
        "certfile",
        "keyfile",
        "cert_file",
        "key_file",
        "ca_certs",
        "cafile",
        "capath",
        "ssl_keyfile",
        "ssl_certfile",
        "ssl_ca_certs",
        "ssl_key_file",
        "ssl_cert_file",
        "private_key_file",
        "key_filename",
        "pkey_file",
        "filename",
        "path",
    }
)
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical"})


def option_uses(ctx: ModuleContext) -> tuple[frozenset[str], frozenset[str]]:
    """(options read here as file names, options read here as values): the last attribute of
    every read through a configuration object (`CONF.x`, `self.conf.group.x`)."""
    as_path: set[str] = set()
    as_value: set[str] = set()
    for node in ctx.nodes_of(frozenset({ast.Attribute})):
        if not (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)):
            continue
        if not _through_config(node.value) or _is_config_object(node, ctx):
            continue
        use = _use(node, ctx)
        if use == "path":
            as_path.add(node.attr)
        elif use == "value":
            as_value.add(node.attr)
    return frozenset(as_path), frozenset(as_value)


def _through_config(node: ast.expr) -> bool:
    """`CONF`, `cfg.CONF`, `self.conf`, `conf.metadata`: a chain through a name like conf."""
    while isinstance(node, ast.Attribute):
        if "conf" in node.attr.lower():
            return True
        node = node.value
    return isinstance(node, ast.Name) and "conf" in node.id.lower()


def _is_config_object(node: ast.Attribute, ctx: ModuleContext) -> bool:
    """`self.conf` in `self.conf.metadata.x`, or `CONF.metadata` in `CONF.metadata.x`: a link
    of a longer chain, not an option read."""
    parent = ctx.parent(node)
    return isinstance(parent, ast.Attribute) and parent.value is node


def _use(node: ast.expr, ctx: ModuleContext) -> str:
    """ "path", "value" or "" (a truth test, a log argument: no evidence)."""
    parent = ctx.parent(node)
    if isinstance(parent, (ast.BoolOp, ast.UnaryOp, ast.Compare)):
        return ""
    if isinstance(parent, (ast.If, ast.While, ast.IfExp)) and parent.test is node:
        return ""
    if isinstance(parent, ast.keyword):
        if parent.arg in _PATH_KEYWORDS:
            return "path"
        parent = ctx.parent(parent)
        if isinstance(parent, ast.Call) and _is_log_call(parent):
            return ""
        return "value"
    if isinstance(parent, ast.Call) and node is not parent.func:
        if _is_log_call(parent):
            return ""
        func = parent.func
        if isinstance(func, ast.Attribute) and func.attr in _PATH_METHODS:
            return "path"
        called = (ctx.resolve(func) or "").removeprefix("builtins.")
        if parent.args and parent.args[0] is node and called in _PATH_CALLS:
            return "path"
        return "value"
    if _cert_pair(parent):
        return "path"  # requests' `cert=(cert_file, key_file)`
    return "value"


def _cert_pair(node: ast.AST | None) -> bool:
    return (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and any(isinstance(e, ast.Attribute) and "cert" in e.attr.lower() for e in node.elts)
    )


def _is_log_call(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in _LOG_METHODS
