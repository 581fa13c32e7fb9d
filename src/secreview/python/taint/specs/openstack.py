"""OpenStack libraries: oslo.concurrency processutils, oslo.utils, privsep helpers."""

from secreview.python.taint.spec import Sanitizer, Sink

_F = frozenset

SINKS = (
    Sink("oslo_concurrency.processutils.execute", "command-injection", (0,), "program_or_shell"),
    Sink("oslo_concurrency.processutils.trycmd", "command-injection", (0,), "program_or_shell"),
    Sink("oslo_concurrency.processutils.ssh_execute", "command-injection", (1, "cmd")),
)

SANITIZERS = (
    Sanitizer("oslo_utils.strutils.bool_from_string"),
    Sanitizer("oslo_utils.strutils.mask_password", _F({"log-injection"})),
    Sanitizer("oslo_utils.uuidutils.is_uuid_like"),
    Sanitizer("oslo_utils.netutils.is_valid_ipv4"),
    Sanitizer("oslo_utils.netutils.is_valid_ipv6"),
)
