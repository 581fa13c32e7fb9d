"""flask-debug-enabled: the Werkzeug debugger or Flask debug mode switched on in the source."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import in_main_block, is_package_module, producers
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import (
    UNLESS_ENV,
    flask_app,
    is_development_code,
    settings,
    settings_class,
    switched_on,
)

_SOCKETIO = frozenset({"flask_socketio.SocketIO"})


@register
class FlaskDebugEnabled(Rule):
    meta = RuleMeta(
        id="flask-debug-enabled",
        cwe=489,
        severity="high",
        confidence="high",
        title="Flask debug mode or the Werkzeug debugger enabled",
        why=(
            "In debug mode an unhandled exception shows the Werkzeug debugger, whose console "
            "runs Python in the server process; the PIN that guards it is derived from machine "
            "data (user name, MAC address, machine id) that any file-disclosure bug reveals. "
            "Even without the console the pages show source code and local variables."
        ),
        example='app.run(host="0.0.0.0", debug=True)\napp.config["DEBUG"] = True',
        fix=(
            "Leave debug off in code and turn it on only on a developer's machine: "
            "`flask run --debug`, or `app.run(debug=os.environ.get('FLASK_DEBUG') == '1')`; "
            "serve production with gunicorn/uWSGI/mod_wsgi, which never start the debugger."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/489.html",
            "https://flask.palletsprojects.com/en/stable/debugging/",
            "https://werkzeug.palletsprojects.com/en/stable/debug/",
        ),
    )
    calls = frozenset(
        {
            "werkzeug.serving.run_simple",
            "werkzeug.run_simple",
            "werkzeug.debug.DebuggedApplication",
        }
    )
    nodes = (ast.Call, ast.Module)
    methods = frozenset({"run"})
    # werkzeug's calls; a Flask/Quart/Connexion app (a name of those packages, or an import
    # of flask/quart); or a DEBUG setting of a config class
    triggers = frozenset({"werkzeug", "flask", "quart", "connexion", "DEBUG"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if is_development_code(call, ctx):
            return  # `def run_dev_server():`, `if app.debug:`, settings/dev.py
        if name.endswith("DebuggedApplication"):
            evalex = ctx.constant_value(argument(call, 1, "evalex"))
            if evalex is True:
                yield Hit(
                    call,
                    "DebuggedApplication(evalex=True) serves the interactive debugger console: "
                    "anyone who can trigger an error and pass the PIN runs Python on the server.",
                )
            else:
                yield Hit(
                    call,
                    "DebuggedApplication shows tracebacks with source code and local variables "
                    "to whoever triggers an error.",
                    severity="medium",
                )
        elif ctx.constant_value(argument(call, 4, "use_debugger")) is True:
            local = _package_entry_point(call, ctx)
            yield Hit(
                call,
                "run_simple(use_debugger=True) serves the Werkzeug debugger, whose console runs "
                "Python in the server process" + (_LOCAL if local else "."),
                severity="low" if local else None,
                confidence=_main_block_confidence(call, ctx),
            )

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.Module):
            yield from _debug_settings(ctx)
            return
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "run":
            return
        is_socketio = bool(producers(func.value, ctx) & _SOCKETIO)
        sure = "high" if is_socketio else flask_app(func.value, ctx)
        if sure is None:
            return
        # Flask.run(host, port, debug); SocketIO.run(app, host, port, **kwargs)
        debug = keyword(node, "debug") if is_socketio else argument(node, 2, "debug")
        option = "debug"
        if ctx.constant_value(debug) is not True:
            debug, option = keyword(node, "use_debugger"), "use_debugger"
        if ctx.constant_value(debug) is not True or is_development_code(node, ctx):
            return
        confidence = _main_block_confidence(node, ctx) or ("medium" if sure == "medium" else None)
        local = _package_entry_point(node, ctx)
        yield Hit(
            node,
            f".run({option}=True) starts the Werkzeug debugger: an error page's console runs "
            "Python in the server process, guarded only by a PIN derived from machine data"
            + (
                _LOCAL
                if local
                else "; if this entry point is ever used outside a developer's machine, the "
                "server is open to code execution."
                if confidence
                else "."
            ),
            severity="low" if local else None,
            confidence=confidence,
        )


def _debug_settings(ctx: ModuleContext) -> Iterable[Hit]:
    """`app.config["DEBUG"] = True`, `app.debug = True`, `class ProductionConfig: DEBUG = True`."""
    for setting in settings(ctx):
        if setting.development:
            continue
        attribute = setting.style == "app-attribute" and setting.key == "debug"
        config = setting.style == "app-config" and setting.key in ("DEBUG", "FLASK_DEBUG")
        if attribute or config:
            sure = flask_app(setting.receiver, ctx)
        elif setting.style == "class" and setting.key == "DEBUG":
            sure = "medium" if settings_class(setting.node, ctx) == "flask" else None
        else:
            continue
        if sure is None:
            continue
        constant = switched_on(setting.value, ctx)
        if constant is None:
            continue
        yield Hit(
            setting.node,
            "Flask debug mode is on"
            + ("" if constant else UNLESS_ENV)
            + ": app.run() then serves the Werkzeug debugger, whose console runs Python in "
            "the server process, and errors show source code and local variables.",
            severity="medium",
            confidence="medium" if sure == "medium" or not constant else "high",
        )


_LOCAL = (
    '; it is reached only from the `if __name__ == "__main__":` block of a package module '
    "(`python -m ...` on a developer's machine), which an application serving the package "
    "through a WSGI server never runs. Keep it off anyway: on a shared network the console "
    "is open to anyone who reaches the port."
)


def _main_block_confidence(node: ast.AST, ctx: ModuleContext) -> str | None:
    """Inside `if __name__ == "__main__":`, or in a function only that block calls, the call
    is a local entry point: medium."""
    if in_main_block(node, ctx) or _only_main_calls(node, ctx):
        return "medium"
    return None


def _package_entry_point(node: ast.AST, ctx: ModuleContext) -> bool:
    """The call is the development entry point of a package module (`python -m app.run`):
    in its `if __name__ == "__main__":` block, or in a function only that block calls. An
    application served from the package imports the module and never runs that block; a
    top-level script (`app.py`) or a package's `__main__.py` is how it is started, and stays
    reported as it is."""
    if not is_package_module(ctx):
        return False
    return in_main_block(node, ctx) or _only_main_calls(node, ctx)


def _only_main_calls(node: ast.AST, ctx: ModuleContext) -> bool:
    """The call is in a module-level function (`def main():`) whose name the module uses
    only to call it from its `if __name__ == "__main__":` block."""
    function = ctx.enclosing(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    if function is None or not isinstance(ctx.parent(function), ast.Module):
        return False
    assert isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
    uses = [
        n
        for n in ctx.nodes_of(frozenset({ast.Name}))
        if isinstance(n, ast.Name) and n.id == function.name
    ]
    return bool(uses) and all(
        isinstance(call := ctx.parent(use), ast.Call)
        and call.func is use
        and in_main_block(call, ctx)
        for use in uses
    )
