"""What an argument vector runs: shared by the command-injection taint sinks and the
shell-true-non-constant pattern rule.

Without a shell, a program's arguments are data, except where the program itself runs one
as code or as another program: a shell's or an interpreter's `-c` script, the script file
it is given, the command `sudo`/`env`/`timeout` wrap, the remote command of `ssh`, and the
"run this" options of common tools (`rsync -e`, `tar --to-command=`, `find -exec`,
`git -c core.sshCommand=`). `executed` finds those elements; the program itself is the
caller's to check.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from secreview import lazyre

_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "ash", "fish", "csh", "tcsh"})


def shell_script(vector: list[ast.expr]) -> list[ast.expr]:
    """`["sh", "-c", script, ...]`: a shell parses the script after `-c` (or `-ec`,
    `-lc`, …) as a command line, exactly as with shell=True; later elements are only its
    positional parameters."""
    if not vector or not isinstance(head := vector[0], ast.Constant):
        return []
    if not isinstance(head.value, str) or head.value.rsplit("/", 1)[-1] not in _SHELLS:
        return []
    for index, element in enumerate(vector[1:-1], start=1):
        if not isinstance(element, ast.Constant) or not isinstance(element.value, str):
            return []  # an option built at run time: where the script is, is unknown
        flag = element.value
        if flag.startswith("-") and not flag.startswith("--") and "c" in flag[1:]:
            script = vector[index + 1]
            return [script.value if isinstance(script, ast.Starred) else script]
    return []


@dataclass(frozen=True, slots=True)
class Tool:
    """How a program reads its arguments, as far as what it runs goes.

    `values`: options whose value is the next element (or follows `=` / the letter);
    `runs`: options whose value is run (a program, a command line or code); `ends`: options
    after whose value the rest of the vector is the code's own arguments (`python -c`);
    `skip`: positional arguments before the one `then` describes: "command" (a program and
    its arguments, read as a vector again), "script" (code or a script file to run), "line"
    (it and every element after it: a command line a shell parses), or "" (data).
    `config`: options whose `key=value` runs the value when the key is one of `config_keys`
    (or is not written in the source)."""

    values: frozenset[str] = frozenset()
    runs: frozenset[str] = frozenset()
    ends: frozenset[str] = frozenset()
    skip: int = 0
    then: str = ""
    config: frozenset[str] = frozenset()
    config_keys: frozenset[str] = frozenset()
    config_prefixes: tuple[str, ...] = ()
    bundles: str = ""  # short flags that may be bundled (`-ec`): the letter that runs
    env_pairs: bool = False  # leading NAME=value elements are settings (`env`)
    exec_actions: frozenset[str] = frozenset()  # `find -exec prog ... ;`


_F = frozenset
_SSH_VALUES = _F(
    [
        "-B",
        "-b",
        "-c",
        "-D",
        "-E",
        "-e",
        "-F",
        "-I",
        "-i",
        "-J",
        "-L",
        "-l",
        "-m",
        "-O",
        "-p",
        "-Q",
        "-R",
        "-S",
        "-W",
        "-w",
    ]
)
_SSH_KEYS = _F({"proxycommand", "localcommand", "knownhostscommand", "remotecommand"})
_GIT_KEYS = _F(
    {
        "core.sshcommand",
        "core.pager",
        "core.editor",
        "core.fsmonitor",
        "core.hookspath",
        "core.gitproxy",
        "credential.helper",
        "diff.external",
        "sequence.editor",
        "gpg.program",
        "gpg.ssh.program",
        "uploadpack.packobjectshook",
    }
)
_INTERPRETER = lazyre.compile(r"^(python|pypy)[0-9.]*$")
_WRAPPED = Tool(then="command")

TOOLS: dict[str, Tool] = {
    **{
        name: Tool(
            values=_F({"-o", "+o", "-O", "+O"}),
            runs=_F({"-c"}),
            ends=_F({"-c"}),
            then="script",
            bundles="c",
        )
        for name in _SHELLS
    },
    "perl": Tool(
        values=_F({"-I", "-M", "-m"}), runs=_F({"-e", "-E"}), ends=_F({"-e", "-E"}), then="script"
    ),
    "ruby": Tool(values=_F({"-I", "-r"}), runs=_F({"-e"}), ends=_F({"-e"}), then="script"),
    "node": Tool(
        values=_F({"-r", "--require"}),
        runs=_F({"-e", "--eval", "-p", "--print"}),
        ends=_F({"-e", "--eval", "-p", "--print"}),
        then="script",
    ),
    "php": Tool(values=_F({"-c", "-d"}), runs=_F({"-r"}), ends=_F({"-r"}), then="script"),
    **{
        name: Tool(values=_F({"-F", "-v"}), runs=_F({"-f"}), ends=_F({"-f"}), then="script")
        for name in ("awk", "gawk", "mawk", "nawk")
    },
    "ssh": Tool(values=_SSH_VALUES, config=_F({"-o"}), config_keys=_SSH_KEYS, skip=1, then="line"),
    "scp": Tool(
        values=_F(["-c", "-F", "-i", "-J", "-l", "-P"]),
        runs=_F({"-S"}),
        config=_F({"-o"}),
        config_keys=_SSH_KEYS,
    ),
    "sftp": Tool(
        values=_F(["-B", "-b", "-c", "-F", "-i", "-J", "-l", "-P", "-R"]),
        runs=_F({"-S"}),
        config=_F({"-o"}),
        config_keys=_SSH_KEYS,
    ),
    "rsync": Tool(
        values=_F({"-f", "--filter", "--exclude", "--include", "-T", "--temp-dir"}),
        runs=_F({"-e", "--rsh", "--rsync-path"}),
    ),
    "tar": Tool(
        values=_F(
            {
                "-f",
                "--file",
                "-C",
                "--directory",
                "-T",
                "-X",
                "-b",
                "-H",
                "-K",
                "-N",
                "-V",
                "-g",
                "--exclude",
                "--transform",
            }
        ),
        runs=_F(
            {
                "-I",
                "--use-compress-program",
                "--to-command",
                "--rsh-command",
                "-F",
                "--info-script",
                "--new-volume-script",
            }
        ),
        config=_F({"--checkpoint-action"}),
        config_keys=_F({"exec"}),
    ),
    "git": Tool(
        values=_F(
            {
                "-C",
                "--git-dir",
                "--work-tree",
                "--namespace",
                "-m",
                "-b",
                "--depth",
                "--branch",
                "--origin",
                "-o",
            }
        ),
        runs=_F({"--upload-pack", "--receive-pack", "--exec"}),
        config=_F({"-c", "--config"}),
        config_keys=_GIT_KEYS,
        config_prefixes=("alias.", "remote.", "filter.", "diff.", "merge."),
    ),
    "find": Tool(exec_actions=_F({"-exec", "-execdir", "-ok", "-okdir"})),
    "zip": Tool(runs=_F({"-TT", "--unzip-command"})),
    # wrappers: run the command that follows their own options
    "sudo": Tool(
        values=_F(
            [
                "-u",
                "-g",
                "-C",
                "-D",
                "-h",
                "-p",
                "-r",
                "-t",
                "-U",
                "-T",
                "--user",
                "--group",
                "--chdir",
            ]
        ),
        then="command",
    ),
    "doas": Tool(values=_F({"-u", "-C"}), then="command"),
    "env": Tool(
        values=_F({"-u", "--unset", "-C", "--chdir"}),
        runs=_F({"-S", "--split-string"}),
        then="command",
        env_pairs=True,
    ),
    "nice": Tool(values=_F({"-n", "--adjustment"}), then="command"),
    "ionice": Tool(values=_F({"-c", "--class", "-n", "--classdata"}), then="command"),
    "nohup": _WRAPPED,
    "setsid": _WRAPPED,
    "stdbuf": Tool(values=_F({"-i", "-o", "-e"}), then="command"),
    "timeout": Tool(values=_F({"-s", "--signal", "-k", "--kill-after"}), skip=1, then="command"),
    "chroot": Tool(values=_F({"--userspec", "--groups"}), skip=1, then="command"),
    "flock": Tool(
        values=_F({"-w", "--timeout", "-E"}), runs=_F({"-c", "--command"}), skip=1, then="command"
    ),
    "xargs": Tool(values=_F(["-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s"]), then="command"),
    "su": Tool(values=_F({"-s", "--shell", "-g", "-G"}), runs=_F({"-c", "--command"})),
    "runuser": Tool(values=_F({"-u", "-g", "-G", "-s"}), runs=_F({"-c", "--command"})),
    "watch": Tool(values=_F({"-n", "--interval", "-d"}), then="line"),
    "nsenter": Tool(
        values=_F({"-t", "--target", "-S", "--setuid", "-G", "--setgid", "-w", "-r"}),
        then="command",
    ),
    "sshpass": Tool(values=_F({"-p", "-f", "-d", "-P"}), then="command"),
}
_PYTHON = Tool(values=_F({"-W", "-X"}), runs=_F({"-c", "-m"}), ends=_F({"-c", "-m"}), then="script")
# subcommands that are wrappers (`ip netns exec NS command...`)
_CONTAINER_EXEC = Tool(
    values=_F({"-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file"}),
    skip=1,
    then="command",
)
_SUBCOMMANDS = {
    ("ip", "netns", "exec"): Tool(skip=1, then="command"),
    # the command runs in the container: `docker exec CONTAINER cmd...`
    ("docker", "exec"): _CONTAINER_EXEC,
    ("podman", "exec"): _CONTAINER_EXEC,
    ("kubectl", "exec"): Tool(
        values=_F({"-n", "--namespace", "-c", "--container", "--context", "--kubeconfig"}),
        skip=1,
        then="command",
    ),
}


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _prefix(node: ast.expr) -> str | None:
    """The constant text an element built at run time starts with (`f"--rsh={x}"`)."""
    if isinstance(node, ast.JoinedStr) and node.values:
        return _text(node.values[0]) if isinstance(node.values[0], ast.Constant) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left) or _prefix(node.left)
    return None


def _program_name(node: ast.expr) -> str | None:
    text = _text(node)
    if text is not None:
        return text.rsplit("/", 1)[-1]
    if ast.unparse(node) == "sys.executable":
        return "python"
    return None


def _tool(vector: list[ast.expr]) -> tuple[Tool, int] | None:
    """The tool a vector runs and where its arguments start."""
    name = _program_name(vector[0])
    if name is None:
        return None
    for words, tool in _SUBCOMMANDS.items():
        texts = [_text(e) for e in vector[: len(words)]]
        if len(texts) == len(words) and (name, *texts[1:]) == words:
            return tool, len(words)
    if _INTERPRETER.match(name):
        return _PYTHON, 1
    tool = TOOLS.get(name)
    return (tool, 1) if tool is not None else None


def _runs_config(tool: Tool, setting: str) -> bool:
    key = setting.partition("=")[0].partition(" ")[0].strip().lower()
    return (
        key in tool.config_keys
        or key.startswith(tool.config_prefixes)
        or (
            # tar's --checkpoint-action=exec=CMD: the setting is "exec=CMD"
            "exec" in tool.config_keys and setting.startswith("exec=")
        )
    )


def executed(vector: list[ast.expr], depth: int = 0) -> list[ast.expr]:
    """The elements of an argument vector (after its program) that run as a program or as
    code. `*args` ends the search (where the next program is, is unknown) unless it comes
    where the tool expects its command: then its first element is that program."""
    if not vector or depth > 4:
        return []
    found = _tool(vector)
    if found is None:
        return []
    walk = _Walk(found[0], vector, depth, found[1])
    walk.run()
    return walk.out


class _Walk:
    """One left-to-right reading of a vector's arguments, as its tool parses them."""

    def __init__(self, tool: Tool, vector: list[ast.expr], depth: int, start: int) -> None:
        self.tool, self.vector, self.depth = tool, vector, depth
        self.index = start
        self.positional = 0
        self.options = True  # until `--`
        self.out: list[ast.expr] = []

    def run(self) -> None:
        while self.index < len(self.vector):
            element = self.vector[self.index]
            if isinstance(element, ast.Starred):
                self._rest(element.value)
                return
            text = _text(element)
            if self.options and text == "--":
                self.options = False
                self.index += 1
            elif self.options and text is not None and text.startswith("-") and text != "-":
                if not self._written_option(text):
                    return
            elif self.options and text is None and (_prefix(element) or "").startswith("-"):
                self._built_option(element, _prefix(element) or "")
            elif self.tool.env_pairs and "=" in (text or _prefix(element) or ""):
                self.index += 1  # `NAME=value` (`f"NAME={x}"`): a setting, whatever its value
            elif not self._positional(element, text):
                return

    def _rest(self, rest: ast.expr) -> None:
        """`["sudo", "-n"] + cmd` (`[..., *cmd]`): where the tool runs what follows its own
        arguments, the list's first element is the program (a script, a command line: the
        whole list); anywhere else, where `cmd` starts is unknown."""
        if not self.options or self.positional < self.tool.skip or not self.tool.then:
            return
        if self.tool.then == "line":
            self.out.append(rest)
        elif isinstance(rest, (ast.List, ast.Tuple)):
            self.out += _command(list(rest.elts), self.depth)
        elif isinstance(rest, ast.Name):
            head = ast.Subscript(value=rest, slice=ast.Constant(0), ctx=ast.Load())
            self.out.append(ast.copy_location(head, rest))

    def _next(self) -> ast.expr | None:
        following = self.index + 1
        return _unstar(self.vector[following]) if following < len(self.vector) else None

    def _written_option(self, text: str) -> bool:
        """An option written in the source; False when the rest is the code's own."""
        tool = self.tool
        if text in tool.exec_actions:  # `find -exec prog {} ;`
            command = self.vector[self.index + 1 :]
            ends = [i for i, e in enumerate(command) if _text(e) in (";", "+")]
            end = ends[0] if ends else len(command)
            self.out += _command(command[:end], self.depth)
            self.index += end + 2
            return True
        name, equals, _ = text.partition("=")
        if name in tool.runs or (tool.bundles and _bundled(text, tool.bundles)):
            if equals:
                self.index += 1  # the code is written in the source
                return True
            value = self._next()
            if value is not None:
                self.out.append(value)
            self.index += 2
            return not (name in tool.ends or tool.bundles)
        if name in tool.config and not equals:
            setting = self._next()
            if setting is not None and _text(setting) is None:
                head = _prefix(setting)
                if head is None or _runs_config(tool, head):
                    self.out.append(setting)  # a key chosen at run time, or one that runs
            self.index += 2
            return True
        # `-oBatchMode=yes` (a setting written in the source), a flag, or one with a value
        takes_value = name in tool.values and not equals and text[:2] not in tool.config
        self.index += 2 if takes_value else 1
        return True

    def _built_option(self, element: ast.expr, head: str) -> None:
        """An option built at run time (`f"--rsh={x}"`, `"-oProxyCommand=" + x`)."""
        tool = self.tool
        name, equals, rest = head.partition("=")
        if equals and name in tool.runs:
            self.out.append(element)
        elif not head.startswith("--") and head[:2] in tool.config:
            if len(head) == 2 or _runs_config(tool, head[2:]):
                self.out.append(element)
        elif equals and name in tool.config and _runs_config(tool, rest):
            self.out.append(element)  # `f"--checkpoint-action=exec={x}"`
        self.index += 1

    def _positional(self, element: ast.expr, text: str | None) -> bool:
        """A positional argument; False once the rest is another program's."""
        if self.positional < self.tool.skip:
            self.positional += 1
            self.index += 1
            return True
        then = self.tool.then
        if then == "command":
            self.out += _command(self.vector[self.index :], self.depth)
        elif then == "script" and text is None:
            self.out.append(element)
        elif then == "line":
            self.out += [_unstar(e) for e in self.vector[self.index :] if _text(e) is None]
        if then:
            return False
        self.index += 1
        return True


def _command(vector: list[ast.expr], depth: int) -> list[ast.expr]:
    """A wrapped command: its program when built at run time, else what that runs."""
    if not vector:
        return []
    head = vector[0]
    if isinstance(head, ast.Starred):
        return []
    if _program_name(head) is None:
        return [head]
    return executed(vector, depth + 1)


def _bundled(flag: str, letter: str) -> bool:
    return not flag.startswith("--") and letter in flag[1:]


def _unstar(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Starred) else node
