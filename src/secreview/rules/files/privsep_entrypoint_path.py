"""Taint rule `privsep-entrypoint-path` (CWE-22): oslo.privsep entry point parameters used
as file paths. Sources and sinks in `taint/specs/openstack.py`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="privsep-entrypoint-path",
        cwe=22,
        severity="high",
        confidence="medium",
        title="Privileged entry point uses a caller-supplied path unchecked",
        why=(
            "An oslo.privsep entry point runs as root with whatever arguments the unprivileged "
            "service sends. Using a parameter as a file path without confining it turns the "
            "entry point into 'read, write, chown or delete any file as root' for anyone who "
            "compromises that service, which is the escalation privsep exists to prevent."
        ),
        example=(
            "@nova.privsep.sys_admin_pctxt.entrypoint\n"
            "def writefile(path, mode, content):\n"
            "    with open(path, mode) as f:\n"
            "        f.write(content)"
        ),
        fix=(
            "Take an identifier, not a path (an instance UUID, a device name checked against "
            "a pattern), and build the path inside the entry point; or resolve the path "
            "(os.path.realpath) and check it stays under the one directory the operation is "
            "for before touching it. Keep each entry point as narrow as the operation."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/22.html",
            "https://docs.openstack.org/oslo.privsep/latest/user/index.html",
        ),
        kind="taint",
    )
)
