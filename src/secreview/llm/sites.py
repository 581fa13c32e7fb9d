"""Security-relevant places in a module: calls to sinks and sensitive APIs, reads of
untrusted sources, each with the CWEs it can lead to.

The taint specs already name every sink and source the engine follows; this adds the
sensitive APIs that pattern rules judge by their arguments (weak hashes, PRNGs, XML parsers,
temporary files...). Two uses: the prompt shows them to the model as evidence of where to
look, and verification accepts an LLM claim as grounded only when its lines hold such a
call whose CWE fits the claim.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from secreview.python.symbols import SymbolTable, build_symbols
from secreview.python.taint.spec import SpecIndex, spec_index

# Qualified name -> (CWE, what makes it dangerous). Calls the taint specs do not list as
# sinks, or list under another weakness (requests.get is an SSRF sink and, with
# verify=False, a TLS one).
SENSITIVE_APIS: dict[str, tuple[tuple[int, str], ...]] = {
    "hashlib.md5": ((328, "weak hash"),),
    "hashlib.sha1": ((328, "weak hash"),),
    "hashlib.new": ((328, "hash chosen by name"),),
    "random.random": ((338, "non-cryptographic PRNG"),),
    "random.randint": ((338, "non-cryptographic PRNG"),),
    "random.randrange": ((338, "non-cryptographic PRNG"),),
    "random.choice": ((338, "non-cryptographic PRNG"),),
    "random.choices": ((338, "non-cryptographic PRNG"),),
    "random.getrandbits": ((338, "non-cryptographic PRNG"),),
    "random.uniform": ((338, "non-cryptographic PRNG"),),
    "random.sample": ((338, "non-cryptographic PRNG"),),
    "random.shuffle": ((338, "non-cryptographic PRNG"),),
    "tempfile.mktemp": ((377, "racy temporary file name"),),
    "os.tempnam": ((377, "racy temporary file name"),),
    "os.tmpnam": ((377, "racy temporary file name"),),
    "os.chmod": ((732, "file permissions"),),
    "os.fchmod": ((732, "file permissions"),),
    "os.umask": ((732, "default file permissions"),),
    "os.makedirs": ((732, "directory permissions"),),
    "os.mkdir": ((732, "directory permissions"),),
    "ssl._create_unverified_context": ((295, "no certificate verification"),),
    "ssl.wrap_socket": ((295, "certificate verification off by default"),),
    "requests.get": ((295, "verify=False turns TLS checks off"),),
    "requests.post": ((295, "verify=False turns TLS checks off"),),
    "requests.put": ((295, "verify=False turns TLS checks off"),),
    "requests.delete": ((295, "verify=False turns TLS checks off"),),
    "requests.request": ((295, "verify=False turns TLS checks off"),),
    "httpx.Client": ((295, "verify=False turns TLS checks off"),),
    "urllib3.PoolManager": ((295, "cert_reqs='CERT_NONE' turns TLS checks off"),),
    "xml.etree.ElementTree.parse": ((611, "XML parser"), (776, "XML parser")),
    "xml.etree.ElementTree.fromstring": ((611, "XML parser"), (776, "XML parser")),
    "xml.etree.ElementTree.XMLParser": ((611, "XML parser"), (776, "XML parser")),
    "xml.dom.minidom.parse": ((611, "XML parser"), (776, "XML parser")),
    "xml.dom.minidom.parseString": ((611, "XML parser"), (776, "XML parser")),
    "xml.sax.parse": ((611, "XML parser"), (776, "XML parser")),
    "xml.sax.parseString": ((611, "XML parser"), (776, "XML parser")),
    "lxml.etree.XMLParser": ((611, "XML parser"), (776, "XML parser")),
    "telnetlib.Telnet": ((319, "cleartext protocol"),),
    "ftplib.FTP": ((319, "cleartext protocol"),),
    "smtplib.SMTP": ((319, "cleartext protocol unless starttls()"),),
    "jwt.decode": ((347, "signature checks can be turned off"),),
    "Crypto.Cipher.DES.new": ((327, "broken cipher"),),
    "Crypto.Cipher.ARC4.new": ((327, "broken cipher"),),
    "Crypto.Cipher.Blowfish.new": ((327, "weak cipher"),),
    "cryptography.hazmat.primitives.ciphers.modes.ECB": ((327, "ECB mode"),),
    "cryptography.hazmat.primitives.ciphers.algorithms.ARC4": ((327, "broken cipher"),),
    "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES": ((327, "weak cipher"),),
    "tarfile.open": ((22, "archive members may escape the target directory"),),
    "zipfile.ZipFile": ((22, "archive members may escape the target directory"),),
    "builtins.__import__": ((470, "module chosen at run time"),),
    "importlib.import_module": ((470, "module chosen at run time"),),
    "ctypes.CDLL": ((114, "library chosen at run time"),),
}


@dataclass(frozen=True, slots=True)
class Site:
    """A call or read on lines `line`..`end_line`: `name` is its qualified name (or
    `.method` for a method of an unknown receiver)."""

    line: int
    end_line: int
    name: str
    kind: str  # "sink", "api" or "source"
    cwes: tuple[int, ...]
    note: str  # the rule or spec that makes it relevant
    rules: tuple[str, ...] = ()  # secreview rules whose sink this is

    @property
    def short(self) -> str:
        """`subprocess.run` -> `run`: how code and prose usually name it."""
        return self.name.rsplit(".", 1)[-1]


@cache
def _rule_cwes() -> dict[str, int]:
    from secreview.rules import all_rules

    return {rule_id: meta.cwe for rule_id, meta in all_rules().items()}


def find_sites(tree: ast.Module, module: str = "module") -> list[Site]:
    """Every sink call, sensitive API call and source read in `tree`, in line order."""
    symbols = build_symbols(tree, module)
    index = spec_index()
    rule_cwes = _rule_cwes()
    sites: list[Site] = []
    seen_sources: set[int] = set()  # id of attribute nodes already inside a reported chain
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            sites.extend(_call_sites(node, symbols, index, rule_cwes))
        elif isinstance(node, ast.Attribute | ast.Name) and id(node) not in seen_sources:
            site = _source_site(node, symbols, index)
            if site is not None:
                sites.append(site)
                inner = node
                while isinstance(inner, ast.Attribute):
                    inner = inner.value
                    seen_sources.add(id(inner))
    sites.sort(key=lambda s: (s.line, s.kind, s.name))
    return sites


def _span(node: ast.AST) -> tuple[int, int]:
    line = getattr(node, "lineno", 1)
    return line, getattr(node, "end_lineno", None) or line


def _call_sites(
    node: ast.Call, symbols: SymbolTable, index: SpecIndex, rule_cwes: dict[str, int]
) -> list[Site]:
    line, end = _span(node)
    name = symbols.resolve(node.func)
    found: list[Site] = []
    if name is not None:
        sinks = index.sinks.get(name, ())
        rules = sorted({s.rule for s in sinks if s.rule in rule_cwes})
        if rules:
            cwes = tuple(dict.fromkeys(rule_cwes[r] for r in rules))
            found.append(Site(line, end, name, "sink", cwes, ", ".join(rules), tuple(rules)))
        apis = SENSITIVE_APIS.get(name)
        if apis:
            notes = "; ".join(dict.fromkeys(note for _, note in apis))
            found.append(Site(line, end, name, "api", tuple(c for c, _ in apis), notes))
        call_source = index.call_sources.get(name)
        if call_source is not None:
            found.append(Site(line, end, name, "source", (), call_source.description))
    elif isinstance(node.func, ast.Attribute):
        sinks = index.method_sinks.get(node.func.attr, ())
        # only methods whose receiver the spec constrains (cursors, LDAP connections...):
        # `.info`, `.set` or `.add` on an unknown object say nothing
        rules = sorted({s.rule for s in sinks if s.receiver and s.rule in rule_cwes})
        if rules:
            cwes = tuple(dict.fromkeys(rule_cwes[r] for r in rules))
            found.append(
                Site(line, end, f".{node.func.attr}", "sink", cwes, ", ".join(rules), tuple(rules))
            )
    return found


def _source_site(node: ast.expr, symbols: SymbolTable, index: SpecIndex) -> Site | None:
    name = symbols.resolve(node)
    if name is None:
        return None
    sources = index.sources
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        source = sources.get(".".join(parts[:cut]))
        if source is not None:
            line, end = _span(node)
            return Site(line, end, name, "source", (), source.description)
    return None


def in_lines(sites: Iterable[Site], first: int, last: int) -> list[Site]:
    """Sites that touch lines first..last."""
    return [s for s in sites if s.line <= last and s.end_line >= first]
