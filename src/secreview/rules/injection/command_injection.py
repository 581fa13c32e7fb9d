"""Taint rule `command-injection` (CWE-78): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="command-injection",
        cwe=78,
        severity="critical",
        confidence="high",
        title="OS command built from untrusted input",
        why=(
            "Attacker-controlled text reaches a command that a shell parses or a program name the "
            "process runs; metacharacters such as `;`, `|` or `$(...)` let the attacker run any "
            "command with the service's privileges."
        ),
        example='host = request.args["host"]\nsubprocess.run(f"ping -c 1 {host}", shell=True)',
        fix=(
            'Pass an argument list without a shell (`subprocess.run(["ping", "-c", "1", host])`), '
            "validate the value against an allow-list, or quote it with "
            "`shlex.quote()` when a shell "
            "is unavoidable; in a list, keep what another program runs (a `-c` script, the "
            "command `sudo` or `ssh` runs) constant."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/78.html",
            "https://docs.python.org/3/library/subprocess.html#security-considerations",
        ),
        fix_by_api=(
            FixText(
                ("os.system", "os.popen", "commands", "subprocess.getoutput"),
                "Replace the shell call with `subprocess.run([program, arg, ...])`, an argument "
                "list no shell parses; validate values against an allow-list, or quote each "
                "with `shlex.quote()` if a shell is unavoidable.",
            ),
            FixText(
                ("asyncio",),
                "Use `asyncio.create_subprocess_exec(program, arg, ...)` with an argument list "
                "instead of `create_subprocess_shell`, or quote each value with `shlex.quote()`.",
            ),
            FixText(
                ("subprocess",),
                'Pass an argument list without a shell (`subprocess.run(["ping", "-c", "1", host])`'
                "), validate the value against an allow-list, or quote it with `shlex.quote()` "
                "when a shell is unavoidable.",
            ),
        ),
        kind="taint",
    )
)
