"""The taint engine's whole-program phase: resolution, termination, traces, picklability."""

from __future__ import annotations

import pickle
import textwrap

from secreview.model import Finding, SourceFile
from secreview.python.context import ModuleContext
from secreview.python.parse import parse_module
from secreview.python.symbols import build_symbols, module_name_for
from secreview.python.taint.engine import Summarizer, solve
from secreview.python.taint.summary import ModuleSummary
from secreview.rules import all_rules

TAINT_RULES = frozenset(rule for rule, meta in all_rules().items() if meta.kind == "taint")


def summarize(modules: dict[str, str]) -> list[ModuleSummary]:
    package_dirs = frozenset(
        path.rsplit("/", 1)[0] for path in modules if path.endswith("__init__.py") and "/" in path
    )
    internal = frozenset(module_name_for(p, package_dirs).split(".")[0] for p in modules)
    summaries = []
    for path, text in modules.items():
        text = textwrap.dedent(text)
        tree = parse_module(text, path)
        assert not isinstance(tree, Exception) and hasattr(tree, "body"), tree
        module = module_name_for(path, package_dirs)
        symbols = build_symbols(tree, module, path.endswith("__init__.py"))
        ctx = ModuleContext(SourceFile(path, text), tree, symbols)
        summary = Summarizer(TAINT_RULES, internal=internal)(ctx)
        assert summary is not None
        summaries.append(summary)
    return summaries


def review(modules: dict[str, str]) -> list[Finding]:
    return solve(summarize(modules))


APP = {
    "app/__init__.py": "",
    "app/views.py": """
        from flask import Flask, request
        from app import tools
        app = Flask(__name__)

        @app.route("/run")
        def run():
            name = request.args["name"]
            tools.execute(name)
            return "ok"
    """,
    "app/tools/__init__.py": """
        from app.tools.shell import execute
    """,
    "app/tools/shell.py": """
        import os

        def execute(command):
            os.system("echo " + command)
    """,
}


def test_re_exported_function_is_resolved_and_traced_line_by_line() -> None:
    (finding,) = review(APP)
    assert finding.rule_id == "command-injection"
    assert finding.location.path == "app/tools/shell.py" and finding.location.line == 5
    steps = [(s.location.path, s.location.line) for s in finding.trace]
    assert steps[0] == ("app/views.py", 8)  # the source
    assert ("app/views.py", 9) in steps  # passed to tools.execute(name)
    assert steps[-1] == ("app/tools/shell.py", 5)  # the sink
    assert finding.trace[-1].note.endswith("(sink)")
    assert "source" in finding.trace[0].note


def test_mutual_recursion_terminates_and_still_finds_the_flow() -> None:
    findings = review(
        {
            "rec.py": """
                import os
                from flask import request

                def ping(value, depth):
                    if depth > 3:
                        os.system(value)
                        return value
                    return pong(value, depth + 1)

                def pong(value, depth):
                    return ping(value + "!", depth)

                def handler():
                    return ping(request.args["v"], 0)
            """
        }
    )
    assert [(f.rule_id, f.location.line) for f in findings] == [("command-injection", 7)]


def test_super_call_and_inherited_field_type_across_modules() -> None:
    findings = review(
        {
            "svc/__init__.py": "",
            "svc/base.py": """
                from svc.runner import Runner

                class Base:
                    def __init__(self):
                        self.runner = Runner()

                    def handle(self, value):
                        self.runner.run(value)
            """,
            "svc/runner.py": """
                import subprocess

                class Runner:
                    def run(self, cmd):
                        subprocess.call(cmd, shell=True)
            """,
            "svc/child.py": """
                from flask import request
                from svc.base import Base

                class Child(Base):
                    def handle(self, value):
                        super().handle(value)

                    def other(self):
                        self.runner.run(request.form["x"])

                def view():
                    Child().handle(request.args["q"])
            """,
        }
    )
    assert {(f.location.path, f.location.line) for f in findings} == {("svc/runner.py", 6)}
    (finding,) = findings
    lines = {(s.location.path, s.location.line) for s in finding.trace}
    # the best (shortest) of the two paths is kept: through the inherited field
    assert ("svc/child.py", 10) in lines or ("svc/child.py", 13) in lines


def test_sanitizer_for_another_sink_kind_does_not_clear() -> None:
    findings = review(
        {
            "m.py": """
                import html, os, shlex
                from flask import request

                def a():
                    os.system(html.escape(request.args["x"]))

                def b():
                    os.system("ls " + shlex.quote(request.args["x"]))
            """
        }
    )
    assert [f.location.line for f in findings] == [6]


def test_summaries_pickle_for_worker_processes_and_results_are_deterministic() -> None:
    summaries = summarize(APP)
    copied = pickle.loads(pickle.dumps(summaries))
    first = [(f.rule_id, f.location, f.trace) for f in solve(summaries)]
    second = [(f.rule_id, f.location, f.trace) for f in solve(copied)]
    assert first == second and first


def test_cli_sources_are_reported_only_in_a_tool_that_runs_privileged() -> None:
    """Whoever types a command line already runs code as the program's user: argv is a
    boundary only where the tool runs with more privilege than its user, and a local user
    (not the network) crosses it: medium confidence, one severity step lower."""
    tool = textwrap.dedent(
        """
        import os, subprocess, sys

        def main():
            subprocess.run("tar xf " + sys.argv[1], shell=True)
        """
    )
    assert review({"tool.py": tool}) == []
    for sign in (
        "if os.geteuid() != 0: sys.exit(1)",
        "os.setuid(int(os.environ['SUDO_UID']))",
        "user = os.environ.get('SUDO_USER')",
        "setuid = os.getuid() != os.geteuid()",
        "import oslo_rootwrap.cmd",
    ):
        (finding,) = review({"tool.py": tool + "\n" + sign + "\n"})
        assert finding.confidence == "medium", sign
        assert finding.severity == "high", sign  # command-injection is critical from the network
        assert "runs privileged" in finding.message, sign
    # a test of the uid that is not a root or setuid test is no sign, nor one that only
    # adapts to running as root
    assert review({"tool.py": tool + "\nowner = os.getuid() == stat.st_uid\n"}) == []
    assert review({"tool.py": tool + "\nif os.geteuid() == 0: os.chown('d', 1, 1)\n"}) == []


def test_argument_vector_with_constant_program_is_not_command_injection() -> None:
    findings = review(
        {
            "tool.py": """
                import os, subprocess, sys

                def main():
                    cmd = ["git", "log"] + sys.argv[1:]
                    subprocess.check_call(cmd)
                    other = sys.argv[1]
                    subprocess.check_call(other)
                    os.setuid(int(os.environ["SUDO_UID"]))
            """
        }
    )
    assert [f.location.line for f in findings] == [8]


# --- library mode and test code, end to end --------------------------------------------------
LIBRARY = {
    "lib/__init__.py": "",
    "lib/archive.py": """
        import os
        import subprocess

        def unpack(name):
            subprocess.run("tar xf " + name, shell=True)

        def _internal(name):
            os.system("rm " + name)

        class Store:
            def fetch(self, key):
                os.system("cp " + key + " /srv")

            def _evict(self, key):
                os.system("rm " + key)
    """,
}


def _review_tree(tmp_path, files: dict[str, str], **config: object):
    from secreview.config import Config
    from secreview.pipeline import run_review

    for path, text in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return run_review([str(tmp_path)], Config(jobs=1, **config))  # type: ignore[arg-type]


def test_parameters_are_not_sources_by_default(tmp_path) -> None:
    review = _review_tree(tmp_path, LIBRARY)
    assert [f.rule_id for f in review.findings if f.trace] == []


def test_taint_parameters_reports_public_functions_and_methods_only(tmp_path) -> None:
    review = _review_tree(tmp_path, LIBRARY, taint_parameters=True)
    flows = sorted((f.rule_id, f.location.line) for f in review.findings if f.trace)
    assert flows == [("command-injection", 6), ("command-injection", 13)]
    sources = sorted(f.trace[0].note for f in review.findings if f.trace)
    assert sources == ["key: parameter 'key' (source)", "name: parameter 'name' (source)"]


TESTS_TREE = {
    "app/__init__.py": "",
    "app/views.py": APP["app/views.py"],
    "app/tools/__init__.py": APP["app/tools/__init__.py"],
    "app/tools/shell.py": APP["app/tools/shell.py"],
    "tests/test_views.py": """
        import os
        from flask import request

        def test_shell():
            os.system("echo " + request.args["x"])
    """,
}


def test_test_code_is_reviewed_only_when_asked(tmp_path) -> None:
    default = _review_tree(tmp_path, TESTS_TREE)
    assert {f.location.path for f in default.findings} == {"app/tools/shell.py"}
    asked = _review_tree(tmp_path, TESTS_TREE, include_tests=True)
    assert "tests/test_views.py" in {f.location.path for f in asked.findings}


def test_operator_controlled_sources_rank_below_remote_ones() -> None:
    """The environment is the operator's, who already runs code as the program's user: two
    steps down, so `$TMPDIR` paths do not weigh like request data; the command line of a
    privileged tool is a local user's: one step down."""
    findings = review(
        {
            "tool.py": """
                import os, sys
                os.system("ls " + sys.argv[1])
                os.system("ls " + os.environ["DIR"])
                assert os.geteuid() == 0
            """,
        }
    )
    severity = {f.location.line: f.severity for f in findings if f.rule_id == "command-injection"}
    assert severity == {3: "high", 4: "medium"}  # command-injection is critical for requests


def test_environment_paths_and_log_lines_are_configuration() -> None:
    """A path or a log line named by the environment is the operator's configuration; the
    same from the command line or a request is reported."""
    findings = review(
        {
            "tool.py": """
                import logging, os, sys
                open(os.path.join(os.environ["DATA_DIR"], "index.json"))
                logging.getLogger(__name__).warning("home: " + os.getenv("HOME"))
                open(os.path.join(sys.argv[1], "index.json"))
                os.system("ls " + os.environ["DIR"])
                if os.getuid() != 0: raise SystemExit("must run as root")
            """,
        }
    )
    found = {(f.rule_id, f.location.line) for f in findings if f.rule_id != "log-injection"}
    assert found == {("path-traversal", 5), ("command-injection", 6)}
    assert not [f for f in findings if f.rule_id == "log-injection"]


def test_a_field_written_on_an_object_is_a_step_of_the_trace() -> None:
    (finding,) = review(
        {
            "svc/__init__.py": "",
            "svc/model.py": """
                import logging
                LOG = logging.getLogger(__name__)

                class Token:
                    user_id = None

                    def deny(self):
                        LOG.warning(f"user {self.user_id} is not allowed")
            """,
            "svc/views.py": """
                from flask import request
                from svc.model import Token

                def check():
                    user = request.headers["X-User"]
                    token = Token()
                    token.user_id = user
                    token.deny()
            """,
        }
    )
    assert finding.rule_id == "log-injection"
    steps = [(s.location.path, s.location.line, s.note) for s in finding.trace]
    assert steps[0][:2] == ("svc/views.py", 6)  # the source
    assert ("svc/views.py", 8, "token.user_id = user") in steps
    assert steps[-1][:2] == ("svc/model.py", 9)  # the sink


def test_a_tree_function_named_like_a_method_sanitizer_is_entered() -> None:
    """`.isoformat()` on an object is a sanitizer by its name; the tree's own `isoformat`
    function reached through an import is not that method, and its sinks count."""
    findings = review(
        {
            "app/__init__.py": "",
            "app/helpers.py": """
                import os

                def isoformat(value):
                    os.system("date -d " + value)
                    return value
            """,
            "app/views.py": """
                from flask import Flask, request
                from app import helpers

                app = Flask(__name__)

                @app.route("/when")
                def when():
                    return helpers.isoformat(request.args["at"])
            """,
        }
    )
    assert [(f.rule_id, f.location.path) for f in findings] == [
        ("command-injection", "app/helpers.py")
    ]


def _rules_at(findings: list[Finding]) -> list[tuple[str, str, int]]:
    return sorted((f.rule_id, f.location.path, f.location.line) for f in findings)


def test_factory_types_follow_factories_of_factories_across_modules() -> None:
    """A function returning another module's factory's result has that result's type: the
    session `client()` returns through `session()` makes `.get(url)` a request sink."""
    findings = review(
        {
            "app/__init__.py": "",
            "app/net.py": """
                import requests

                def session():
                    return requests.Session()
            """,
            "app/api.py": """
                from app import net

                def client():
                    return net.session()
            """,
            "app/views.py": """
                from flask import Flask, request
                from app.api import client

                app = Flask(__name__)

                @app.route("/fetch")
                def fetch():
                    http = client()
                    return http.get(request.args["url"]).text
            """,
        }
    )
    assert _rules_at(findings) == [("ssrf", "app/views.py", 10)]


def test_a_deferred_receiver_keeps_each_sinks_arguments_apart() -> None:
    """`client.unlink(*names)` on an object of unknown type: the path sink on the receiver
    (`Path.unlink`) does not take the arguments that `os.unlink`'s spec would."""
    findings = review(
        {
            "app.py": """
                from flask import Flask, request
                from cache import connect

                app = Flask(__name__)

                def get_client():
                    return connect()

                @app.route("/drop")
                def drop():
                    names = [request.args["key"]]
                    client = get_client()
                    client.unlink(*names)
                    return "ok"
            """,
        }
    )
    assert findings == []


def test_a_classmethod_called_on_its_class_binds_arguments_after_cls() -> None:
    findings = review(
        {
            "app.py": """
                import os
                from flask import Flask, request

                app = Flask(__name__)

                class Job:
                    @classmethod
                    def start(cls, label, command):
                        os.system(command)

                @app.route("/run")
                def run():
                    Job.start("fixed", request.args["cmd"])
                    Job.start(request.args["label"], "uptime")
                    return "ok"
            """,
        }
    )
    assert _rules_at(findings) == [("command-injection", "app.py", 10)]
    assert ("app.py", 14) in {(s.location.path, s.location.line) for s in findings[0].trace}


def test_a_method_called_on_a_tree_calls_result_keeps_what_the_call_returned() -> None:
    """`clean(x).lower()`: the method of what the function returned carries its data."""
    findings = review(
        {
            "app.py": """
                import os
                from flask import Flask, request

                app = Flask(__name__)

                def clean(text):
                    return text.strip()

                @app.route("/grep")
                def grep():
                    term = clean(request.args["q"]).lower()
                    os.system("grep -r " + term + " /srv/docs")
                    return "ok"
            """,
        }
    )
    assert _rules_at(findings) == [("command-injection", "app.py", 13)]


def test_a_property_defined_after_its_use_types_the_field_in_the_whole_program() -> None:
    """`self.store.execute(q)` before the `@property store` returning a connection: the
    whole-program phase knows the field's type (a cursor by type, whatever its name), and
    `self.index.execute` is the tree's own method, not a query sink."""
    findings = review(
        {
            "app.py": """
                import sqlite3
                from flask import Flask, request

                app = Flask(__name__)

                class Index:
                    def execute(self, text):
                        return [text]

                class Catalog:
                    def find(self, author):
                        self.index.execute(author)
                        return self.store.execute(f"SELECT * FROM books WHERE a = '{author}'")

                    @property
                    def store(self):
                        return sqlite3.connect("/srv/catalog.db")

                    @property
                    def index(self):
                        return Index()

                @app.route("/books")
                def books():
                    return str(Catalog().find(request.args["author"]))
            """,
        }
    )
    assert _rules_at(findings) == [("sql-injection", "app.py", 14)]


def test_an_element_of_a_factorys_result_is_not_of_the_factorys_class() -> None:
    """`for item in get_cart():` iterates what the Cart holds: `item.save(...)` is not
    Cart's own method."""
    findings = review(
        {
            "app.py": """
                import os
                from flask import Flask, request

                app = Flask(__name__)

                class Cart:
                    def __init__(self):
                        self.items = []

                    def __iter__(self):
                        return iter(self.items)

                    def save(self, name):
                        os.system("backup " + name)

                def get_cart():
                    return Cart()

                @app.route("/save")
                def save():
                    for item in get_cart():
                        item.save(request.args["name"])
                    return "ok"
            """,
        }
    )
    assert findings == []


def test_a_method_of_an_element_of_a_tree_calls_result_keeps_its_data() -> None:
    """`rows[0].strip()` with `rows = load()`: a method of an element of what `load`
    returned, not a method `load`'s class would have; the element's data goes through."""
    findings = review(
        {
            "app.py": """
                import os
                from flask import Flask, request

                app = Flask(__name__)

                def load():
                    return [request.args["cmd"]]

                @app.route("/run")
                def run():
                    rows = load()
                    os.system(rows[0].strip())
                    return "ok"
            """,
        }
    )
    assert _rules_at(findings) == [("command-injection", "app.py", 13)]


def test_a_request_parameter_outside_a_projects_api_is_not_the_http_request() -> None:
    """In a project WebOb serves (nova), `request` is the HTTP request in its API modules,
    and another kind of request elsewhere (`nova/pci/stats.py`'s PCI request)."""
    body = """
        import logging
        from nova import objects

        LOG = logging.getLogger(__name__)

        def describe(request):
            LOG.info("spec: " + request.spec)
    """
    findings = review(
        {"nova/__init__.py": "", "nova/pci/stats.py": body, "nova/api/views.py": body}
    )
    assert [(f.rule_id, f.location.path) for f in findings] == [
        ("log-injection", "nova/api/views.py")
    ]


def test_exceptions_go_up_every_call_but_what_a_handler_on_the_way_keeps() -> None:
    findings = review(
        {
            "errors.py": """
                import logging
                from flask import request

                log = logging.getLogger(__name__)

                class BadInput(Exception):
                    pass

                class Kept(Exception):
                    pass

                def check(value):
                    if not value.isalnum():
                        raise BadInput(f"bad {value}")
                    raise Kept(f"kept {value}")

                def middle(value):
                    try:
                        check(value)
                    except Kept:
                        return None
                    except BadInput:
                        raise

                def quiet(value):
                    try:
                        check(value)
                    except Exception:
                        return None

                def handler():
                    try:
                        middle(request.args["v"])
                        quiet(request.args["w"])
                    except Exception as error:
                        log.warning(f"failed: {error}")
            """
        }
    )
    (finding,) = findings
    assert (finding.rule_id, finding.location.line) == ("log-injection", 37)
    notes = [step.note for step in finding.trace]
    assert any("raise BadInput" in note for note in notes)
    assert not any("Kept" in note or "quiet" in note for note in notes)


def test_an_inner_handler_keeps_its_class_from_the_outer_handler() -> None:
    findings = review(
        {
            "errors.py": """
                import logging
                from flask import request

                log = logging.getLogger(__name__)

                class Kept(Exception):
                    pass

                def check(value):
                    raise Kept(f"kept {value}")

                def handler():
                    try:
                        try:
                            check(request.args["v"])
                        except Kept:
                            pass
                    except Exception as error:
                        log.warning(f"failed: {error}")
            """
        }
    )
    assert findings == []


def test_a_field_in_an_exception_reaches_the_handler_around_the_method_only() -> None:
    findings = review(
        {
            "errors.py": """
                import logging
                from flask import request

                log = logging.getLogger(__name__)

                class NoAccount(LookupError):
                    pass

                class Account:
                    def __init__(self, name):
                        self.name = name

                    def load(self):
                        raise NoAccount(f"no account {self.name}")

                def lookup(name):
                    return Account(name).load()

                def signup():
                    Account(request.args["name"])

                def near():
                    try:
                        Account("admin").load()
                    except LookupError as error:
                        log.warning(f"near: {error}")

                def far():
                    try:
                        lookup("admin")
                    except LookupError as error:
                        log.warning(f"far: {error}")
            """
        }
    )
    # what any Account may hold in its field is not what every handler above a call of a
    # function that uses one sees (`near`, one call away, is what objects.py decides)
    assert 33 not in [f.location.line for f in findings]


def test_a_package_inside_a_namespace_package_resolves(tmp_path) -> None:
    review = _review_tree(
        tmp_path,
        {
            "company/product/__init__.py": "",
            "company/product/shell.py": """
                import os

                def execute(command):
                    os.system("echo " + command)
            """,
            "web/views.py": """
                from flask import Flask, request
                from company.product.shell import execute

                app = Flask(__name__)

                @app.route("/run")
                def run():
                    execute(request.args["name"])
                    return "ok"
            """,
        },
    )
    assert [(f.rule_id, f.location.path) for f in review.findings if f.trace] == [
        ("command-injection", "company/product/shell.py")
    ]


def _flows(findings: list[Finding]) -> list[tuple[str, int]]:
    return sorted((f.rule_id, f.location.line) for f in findings)


def test_a_callback_is_followed_through_every_function_that_passes_it_on() -> None:
    findings = review(
        {
            "jobs.py": """
                import os
                import threading
                from flask import request

                def each(items, callback):
                    for item in items:
                        callback(item)

                def each_later(items, callback):
                    each(items, callback)

                def remove(name):
                    os.remove("/srv/" + name)

                def keep(name):
                    os.remove("/srv/" + name)

                class Worker:
                    def work(self, path):
                        os.remove(path)

                    def start(self, path):
                        threading.Thread(target=self.work, args=(path,)).start()

                def handler():
                    each_later(request.args.getlist("n"), remove)
                    each_later(["a", "b"], keep)
                    worker = Worker()
                    worker.start(request.args["p"])
            """
        }
    )
    assert _flows(findings) == [("path-traversal", 14), ("path-traversal", 21)]


def test_a_closure_from_a_factory_binds_its_own_arguments() -> None:
    findings = review(
        {
            "fetch.py": """
                import requests
                from flask import request

                def make_fetcher(base):
                    def fetch(path):
                        return requests.get(base + path)
                    return fetch

                def handler():
                    fetch = make_fetcher("https://api.example.com/")
                    return fetch(request.args["p"]).text
            """
        }
    )
    assert _flows(findings) == [("ssrf", 7)]


def test_an_object_called_runs_its_call_method_not_what_it_was_given() -> None:
    findings = review(
        {
            "deco.py": """
                import os
                from flask import request

                class audited:
                    def __init__(self, check):
                        self.check = check

                    def __call__(self, function):
                        def wrapper(*args):
                            return function(*args)
                        return wrapper

                class labelled:
                    def __init__(self, label):
                        self.label = label

                    def __call__(self, function):
                        os.system("tag " + function.__name__)
                        return function

                def check_admin(value):
                    os.system("id " + value)

                @audited(check_admin)
                @labelled(request.args["t"])
                def page(name):
                    return name
            """
        }
    )
    # `audited(check_admin)(page)` runs `audited.__call__`, not `check_admin`; the function
    # `labelled.__call__` gets is not the label its decorator was made with
    assert findings == []


def test_callbacks_kept_in_a_field_are_not_called_through_every_object_of_the_class() -> None:
    findings = review(
        {
            "signals.py": """
                import os
                from flask import request

                class Signal:
                    def __init__(self):
                        self.receivers = []

                    def connect(self, receiver):
                        self.receivers.append(receiver)

                    def send(self, value):
                        for receiver in self.receivers:
                            receiver(value)

                started = Signal()
                migrated = Signal()

                def reset(value):
                    os.system("reset " + value)

                migrated.connect(reset)

                def handler():
                    started.send(request.args["x"])
            """
        }
    )
    assert findings == []


def _found(findings: list[Finding]) -> set[tuple[str, int]]:
    return {(f.rule_id, f.location.line) for f in findings}


def test_a_method_storing_through_self_helpers_fills_only_its_own_object() -> None:
    """A closed method (`run`, called only on objects built here) reads back what a helper
    it calls on `self` stored; the other object of the class, run on constants, is clean."""
    findings = review(
        {
            "jobs.py": """
                import subprocess
                from flask import Flask, request

                app = Flask(__name__)

                class Job:
                    def __init__(self, name):
                        self.name = name
                        self.args = []

                    def _collect(self, extra):
                        self.args.append(extra)

                    def run(self, extra):
                        self._collect(extra)
                        subprocess.run(" ".join(self.args) + self.name, shell=True)

                @app.route("/a")
                def a():
                    Job("fixed").run("--safe")
                    job = Job("nightly")
                    job.run(request.args["flag"])
                    return "ok"
            """
        }
    )
    assert _found(findings) == {("command-injection", 17)}
    (finding,) = findings
    steps = [step.location.line for step in finding.trace]
    assert 23 in steps and 21 not in steps  # the request's job, not the constant one


def test_an_object_passed_to_a_helper_that_fills_it_holds_the_data() -> None:
    """`fill(ctx)` calls `ctx.set(...)` on an object it did not build: the write escapes
    what its callers track, so an object built elsewhere may hold it (here: the same)."""
    findings = review(
        {
            "render.py": """
                import os
                from flask import Flask, request

                app = Flask(__name__)

                class Context:
                    def __init__(self):
                        self.values = {}

                    def set(self, key, value):
                        self.values[key] = value

                    def get(self, key):
                        return self.values[key]

                def fill(ctx: Context):
                    ctx.set("theme", request.args["theme"])

                @app.route("/r")
                def r():
                    ctx = Context()
                    fill(ctx)
                    return open(os.path.join("/themes", ctx.get("theme"))).read()
            """
        }
    )
    assert _found(findings) == {("path-traversal", 24)}


def test_fields_set_by_name_and_by_a_base_constructor_are_the_objects() -> None:
    """`setattr(self, key, value)` in a loop stores into some field of `self`; a subclass
    constructor passing its argument to `super().__init__` stores through the base's."""
    findings = review(
        {
            "opts.py": """
                import subprocess
                from flask import Flask, request

                app = Flask(__name__)

                class Options:
                    def __init__(self, **values):
                        for key, value in values.items():
                            setattr(self, key, value)

                class Base:
                    def __init__(self, host):
                        self.host = host

                class Probe(Base):
                    def __init__(self, host, count):
                        super().__init__(host)
                        self.count = count

                @app.route("/p")
                def p():
                    opts = Options(shell=request.args["shell"])
                    subprocess.run(opts.shell, shell=True)
                    probe = Probe(request.args["host"], 3)
                    fixed = Probe("10.0.0.1", 1)
                    subprocess.run("ping " + probe.host, shell=True)
                    subprocess.run("ping " + fixed.host, shell=True)
                    return "ok"
            """
        }
    )
    assert _found(findings) == {("command-injection", 24), ("command-injection", 27)}


def test_fields_a_framework_sets_on_its_own_objects_stay_class_wide() -> None:
    """Methods the framework calls (`dispatch`, `get` of a view) run on objects no caller
    of the tree knows: what one stores in `self` the others read."""
    findings = review(
        {
            "views.py": """
                import subprocess
                from django.views import View

                class Export(View):
                    def dispatch(self, request, *args, **kwargs):
                        self.fmt = request.GET["fmt"]
                        return super().dispatch(request, *args, **kwargs)

                    def get(self, request):
                        subprocess.run("export --to " + self._target(), shell=True)

                    def _target(self):
                        return self.fmt
            """
        }
    )
    assert _found(findings) == {("command-injection", 11)}


def test_a_field_of_an_item_of_a_returned_list_holds_what_its_items_do() -> None:
    """`row.label` of each item of a parameter is a field read of a value derived from the
    argument, not a key of it: the caller's list, whose items are tracked by index, gives
    what any of them holds."""
    findings = review(
        {
            "rows.py": """
                import logging
                from flask import Flask, request

                app = Flask(__name__)
                log = logging.getLogger(__name__)

                def sort_order(param):
                    return ["id", param]

                def list_rows(order):
                    for row in order:
                        log.info(row.label)

                @app.route("/rows")
                def rows():
                    list_rows(sort_order(request.args["sort"]))
                    return "ok"
            """
        }
    )
    assert _found(findings) == {("log-injection", 13)}


def test_what_a_base_constructor_stored_is_read_back_after_it_returns() -> None:
    """`super().__init__(host)` and `Base.__init__(self, host)` store into the object
    being built: the subclass constructor reads the field back after the call."""
    findings = review(
        {
            "probe.py": """
                import subprocess
                from flask import Flask, request

                app = Flask(__name__)

                class Base:
                    def __init__(self, host):
                        self.host = host

                class Probe(Base):
                    def __init__(self, host):
                        super().__init__(host)
                        self.command = "ping " + self.host

                class Trace(Base):
                    def __init__(self, host):
                        Base.__init__(self, host)
                        self.command = "traceroute " + self.host

                @app.route("/p")
                def p():
                    probe = Probe(request.args["host"])
                    subprocess.run(probe.command, shell=True)
                    trace = Trace(request.args["host"])
                    subprocess.run(trace.command, shell=True)
                    fixed = Probe("10.0.0.1")
                    subprocess.run(fixed.command, shell=True)
                    subprocess.run(Probe("10.0.0.2").command, shell=True)
                    return "ok"
            """
        }
    )
    assert _found(findings) == {("command-injection", 24), ("command-injection", 26)}


def test_objects_a_factory_builds_are_not_mixed() -> None:
    """Each call of a factory that returns an object it built gives a new object: the
    client built from the request and the one built from a constant keep their own fields
    through their methods and field reads."""
    findings = review(
        {
            "clients.py": """
                import requests
                from flask import Flask, request

                app = Flask(__name__)

                class Client:
                    def __init__(self, base):
                        self.base = base.rstrip("/")

                    def url(self, path):
                        return self.base + path

                def make_client(base):
                    client = Client(base)
                    return client

                @app.route("/c")
                def c():
                    partner: Client = make_client(request.args["base"])
                    billing: Client = make_client("https://billing.internal")
                    requests.get(partner.url("/ping"))
                    requests.get(billing.url("/plans"))
                    requests.get(partner.base)
                    requests.get(billing.base)
                    return "ok"
            """
        }
    )
    assert _found(findings) == {("ssrf", 22), ("ssrf", 24)}


def test_handler_sources_through_a_base_class_of_another_module() -> None:
    """A Tornado or http.server handler whose framework base is inherited through a project
    class of another module: `self.request`, `self.path` and `self.get_argument(...)` are
    the client's in every method, and the base's own settings are not."""
    findings = review(
        {
            "web/__init__.py": "",
            "web/base.py": """
                import tornado.web
                from http.server import BaseHTTPRequestHandler

                class BaseHandler(tornado.web.RequestHandler):
                    def tool(self):
                        return self.settings["tool"]

                class BaseTool(BaseHTTPRequestHandler):
                    pass
            """,
            "web/pages.py": """
                import os
                from web.base import BaseHandler, BaseTool

                class Page(BaseHandler):
                    def get(self):
                        os.system("echo " + self.request.body.decode())
                        os.system("echo " + self.get_argument("q"))
                        os.system("echo " + self.tool())

                    def on_finish(self):
                        os.system("echo " + self.request.uri)

                class Tool(BaseTool):
                    def do_GET(self):
                        os.system("echo " + self._target())

                    def _target(self):
                        return self.path
            """,
        }
    )
    found = sorted((f.location.path, f.location.line) for f in findings)
    assert found == [("web/pages.py", line) for line in (7, 8, 12, 16)]
