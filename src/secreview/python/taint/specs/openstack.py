"""OpenStack libraries: oslo.concurrency processutils, oslo.utils, oslo.privsep."""

from dataclasses import replace

from secreview.python.taint.spec import Handler, Sanitizer, Sink
from secreview.python.taint.specs import stdlib as _stdlib

_F = frozenset

# oslo.privsep: an entry point runs in the root daemon with arguments the unprivileged
# service sends. Its parameters are that service's data crossing the privilege boundary:
# a compromised service picks any value. They feed rules of their own, not the web rules.
HANDLERS = (
    Handler(
        framework="oslo.privsep",
        imports=(),
        description="oslo.privsep entry point parameter",
        decorator_attrs=_F({"entrypoint", "entrypoint_with_timeout"}),
        source_kind="privsep",
    ),
)
SOURCE_KIND_RULES = {"privsep": _F({"privsep-entrypoint-path", "command-injection"})}
RULE_SOURCE_KINDS = {"privsep-entrypoint-path": _F({"privsep"})}
# basename(), realpath()+startswith() and the other path checks clear it as they clear
# path-traversal
CLEARED_AS = {"privsep-entrypoint-path": "path-traversal"}
# the unprivileged caller chose the arguments: what the entry point returns is not news to it
CALL_SCOPED_KINDS = frozenset({"privsep"})

# every file API path-traversal knows, plus the ones privileged helpers typically use
_PRIVSEP_FILE_SINKS = (
    *(
        replace(sink, rule="privsep-entrypoint-path")
        for sink in _stdlib.SINKS
        if sink.rule == "path-traversal"
    ),
    Sink("os.utime", "privsep-entrypoint-path", (0, "path")),
    Sink("os.lchown", "privsep-entrypoint-path", (0, "path")),
    Sink("os.mknod", "privsep-entrypoint-path", (0, "path")),
    Sink("os.mkfifo", "privsep-entrypoint-path", (0, "path")),
    Sink("shutil.chown", "privsep-entrypoint-path", (0, "path")),
    Sink("oslo_utils.fileutils.ensure_tree", "privsep-entrypoint-path", (0, "path")),
    Sink("oslo_utils.fileutils.delete_if_exists", "privsep-entrypoint-path", (0, "path")),
    Sink("oslo_utils.fileutils.write_to_tempfile", "privsep-entrypoint-path", ("path",)),
)

SINKS = (
    Sink("oslo_concurrency.processutils.execute", "command-injection", (0,), "program_or_shell"),
    Sink("oslo_concurrency.processutils.trycmd", "command-injection", (0,), "program_or_shell"),
    Sink("oslo_concurrency.processutils.ssh_execute", "command-injection", (1, "cmd")),
    # run_as_root=True: untrusted options and paths handed to a command running as root
    Sink("oslo_concurrency.processutils.execute", "processutils-shell", ("*",), "root_arguments"),
    Sink("oslo_concurrency.processutils.trycmd", "processutils-shell", ("*",), "root_arguments"),
    Sink(
        "neutron.agent.linux.utils.execute", "processutils-shell", (0, "cmd"), "argv_root_arguments"
    ),
    *_PRIVSEP_FILE_SINKS,
)

SANITIZERS = (
    # what a command prints is the program's output, not the arguments it was given (a
    # tainted command line is reported where it is run, by the sinks above)
    Sanitizer("oslo_concurrency.processutils.execute"),
    Sanitizer("oslo_concurrency.processutils.trycmd"),
    Sanitizer("oslo_utils.strutils.bool_from_string"),
    Sanitizer("oslo_utils.strutils.mask_password", _F({"log-injection"})),
    Sanitizer("oslo_utils.uuidutils.is_uuid_like"),
    Sanitizer("oslo_utils.netutils.is_valid_ipv4"),
    Sanitizer("oslo_utils.netutils.is_valid_ipv6"),
)
