"""Phase 2 of the access-control rules: decide, knowing every module's facts.

`missing-authorization`: a view that changes stored state with no protection, not marked
public, not covered by a hook or a project setting, in a group (blueprint, Django app) whose
other views are protected: at least `MIN_GUARDED` of them, and at least two thirds of the
group's state-changing views. A Django function counts as a view only if a urlconf or router
of the project routes it (when the project has any), a class never if other views extend it.
The finding names the guarded siblings; its confidence is medium when four in five of the
state-changing views are guarded (and four siblings at least), low below.

`policy-default-allows-anyone`: an oslo.policy default whose check string is `""` or `"@"`,
directly, through a constant of any module, or through `rule:<name>` of a default that is,
on an operation that is not read-only: its documented methods include one besides GET and
HEAD, or (undocumented) its name says it creates, changes or deletes.

`json-endpoint-without-csrf`: a Flask view that changes stored data for the user of the
session cookie on a body parsed whatever its content type, in a package (the top package of
its module; a lone module's setting covers the whole tree) with no CSRF protection that
covers it and no `SESSION_COOKIE_SAMESITE` of Lax or Strict.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from secreview import lazyre
from secreview.model import Finding, Location, TraceStep
from secreview.python import fixtext
from secreview.python.access.facts import (
    AccessFacts,
    Cover,
    Handler,
    Lookup,
    PolicyDefault,
    PolicyUse,
    View,
)
from secreview.python.access.views import scope_of
from secreview.rules import RuleMeta, get_rule

OBJECT_RULE = "object-access-without-owner-check"
LOGIN_RULE = "login-without-attempt-limit"
QUERY_RULE = "query-not-scoped-to-project"
CSRF_RULE = "json-endpoint-without-csrf"
MIN_GUARDED = 3
SHOWN = 3  # sibling views a message names
_OPEN = frozenset({"", "@"})
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_MUTATING = frozenset(
    {
        "create", "update", "delete", "add", "remove", "set", "put", "post", "patch", "modify",
        "change", "reset", "revoke", "grant", "attach", "detach", "start", "stop", "reboot",
        "rebuild", "resize", "migrate", "evacuate", "lock", "unlock", "pause", "unpause",
        "suspend", "resume", "shelve", "unshelve", "rescue", "unrescue", "restore", "destroy",
        "import", "upload", "edit", "write", "enable", "disable", "assign", "unassign", "purge",
        "force", "rotate", "transfer", "accept", "associate", "disassociate", "extend",
    }
)  # fmt: skip


def findings(facts: Iterable[AccessFacts]) -> list[Finding]:
    facts = list(facts)
    return [
        *_missing_authorization(facts),
        *_unchecked_objects(facts),
        *_open_policies(facts),
        *_unlimited_logins(facts),
        *_plaintext_passwords(facts),
        *_unscoped_queries(facts),
        *_json_without_csrf(facts),
    ]


# --- missing-authorization -----------------------------------------------------------------
def _missing_authorization(facts: list[AccessFacts]) -> list[Finding]:
    routed = {name for module in facts for name in module.routed}
    extended = {base for module in facts for view in module.views for base in view.bases}
    groups: dict[str, list[tuple[AccessFacts, View]]] = defaultdict(list)
    for module in facts:
        for view in module.views:
            if view.name in extended:
                continue  # a base other views extend
            if view.framework == "django" and not view.bases and routed and view.name not in routed:
                continue  # a function not routed: a helper taking `request`, or unreachable
            groups[view.group].append((module, view))
    covers = [cover for module in facts for cover in module.covers]
    wrapped = {w.view: w for module in facts for w in module.wrapped}
    found: list[Finding] = []
    for group, members in groups.items():
        guarded: list[tuple[View, str]] = []
        open_writers: list[tuple[AccessFacts, View]] = []
        writers = 0
        for module, view in members:
            if view.public or view.auth_flow:
                continue
            guard = view.guard or _covered(view, module.module, group, covers, wrapped)
            if view.writes:
                writers += 1
            if guard:
                guarded.append((view, guard))
            elif view.writes:
                open_writers.append((module, view))
        guarded_writers = writers - len(open_writers)
        if len(guarded) < MIN_GUARDED or not open_writers or guarded_writers * 3 < writers * 2:
            continue
        share = guarded_writers / writers
        confidence = "medium" if share >= 0.8 and len(guarded) >= 4 else "low"
        for module, view in open_writers:
            finding = _worded(view, guarded, len(members), confidence)
            found.append(_fixed(finding, module))
    return found


def _covers_view(cover: Cover, view: View, module: str) -> bool:
    in_scope = not cover.scope or module == cover.scope or module.startswith(cover.scope + ".")
    return in_scope and cover.kind == "hook" and cover.target in ("", view.group)


def _covered(view: View, module: str, group: str, covers: list[Cover], wrapped: dict) -> str:
    """What protects the view from outside it: a hook, a middleware, a default, a wrapper."""
    for cover in covers:
        if cover.scope and not (module == cover.scope or module.startswith(cover.scope + ".")):
            continue
        if cover.kind == "hook" and cover.target in ("", group):
            return cover.evidence
        if cover.kind == "middleware":
            return cover.evidence
        if cover.kind == "drf-default" and view.drf_default:
            return cover.evidence
    wrapper = wrapped.get(view.name)
    if wrapper is not None:
        return f"`{wrapper.guard}(...)` where it is routed ({wrapper.path}:{wrapper.line})"
    return ""


def _worded(view: View, guarded: list[tuple[View, str]], size: int, confidence: str) -> Finding:
    finding = view.finding
    shown = guarded[:SHOWN]
    listed = ", ".join(f"`{v.name}` ({guard}, line {v.line})" for v, guard in shown)
    more = f" and {len(guarded) - SHOWN} more" if len(guarded) > SHOWN else ""
    message = (
        f"`{view.name}` changes stored state ({view.writes}) without any login or permission "
        f"check, while {len(guarded)} of the other {size - 1} views of {view.group_label} "
        f"have one: {listed}{more}. Anyone can call it."
    )
    trace = (
        *(
            TraceStep(
                Location(v.finding.location.path, v.line),
                f"sibling `{v.name}` is protected: {guard}",
            )
            for v, guard in shown
        ),
        TraceStep(finding.location, f"`{view.name}` has no protection and {view.writes}"),
    )
    return replace(finding, message=message, confidence=confidence, trace=trace)  # type: ignore[arg-type]


def _as_rule(finding: Finding, meta: RuleMeta, message: str) -> Finding:
    """A view's candidate finding as a finding of `meta`, saying `message`."""
    return replace(
        finding,
        rule_id=meta.id,
        cwe=meta.cwe,
        title=meta.title,
        severity=meta.severity,
        confidence=meta.confidence,
        message=message,
    )


def _fixed(finding: Finding, module: AccessFacts) -> Finding:
    """The finding with its rule's fix worded for the frameworks its module imports."""
    meta = get_rule(finding.rule_id)
    if meta is None:
        return finding
    return replace(finding, fix=fixtext.choose(meta, [module.imports]))


# --- object-access-without-owner-check -------------------------------------------------------
def _unchecked_objects(facts: list[AccessFacts]) -> list[Finding]:
    """A signed-in user's view that fetches an object by the id the request names and uses
    it with no check that it is theirs, where most views of the project on the same model
    do check (the query scoped to the user, or a test of the user in the view)."""
    covers = [cover for module in facts for cover in module.covers]
    wrapped = {w.view: w for module in facts for w in module.wrapped}
    by_model: dict[str, list[tuple[View, bool, tuple[str, int, bool, str], AccessFacts]]]
    by_model = defaultdict(list)
    for module in facts:
        for view in module.views:
            if view.public or view.privileged or not view.fetches:
                continue
            hooks = [c for c in covers if _covers_view(c, view, module.module)]
            if any(c.privileged for c in hooks):
                continue  # an administrators' area: any object is theirs to act on
            if not (view.guard or _covered(view, module.module, view.group, covers, wrapped)):
                continue  # no login at all: `missing-authorization`'s question
            for fetch in view.fetches:
                checked = fetch[2] or view.owner_check
                by_model[fetch[0]].append((view, checked, fetch, module))
    found: list[Finding] = []
    for model, uses in by_model.items():
        checked = list({id(v): v for v, ok, _, _ in uses if ok}.values())
        unchecked = {id(v): (v, fetch, module) for v, ok, fetch, module in uses if not ok}
        if len(checked) < 2 or len(checked) <= len(unchecked):
            continue
        for view, fetch, module in unchecked.values():
            found.append(_fixed(_worded_object(view, model, fetch, checked), module))
    return found


def _worded_object(
    view: View, model: str, fetch: tuple[str, int, bool, str], checked: list[View]
) -> Finding:
    meta = get_rule(OBJECT_RULE)
    assert meta is not None
    shown = checked[:SHOWN]
    listed = ", ".join(f"`{v.name}` (line {v.line})" for v in shown)
    more = f" and {len(checked) - SHOWN} more" if len(checked) > SHOWN else ""
    use = f"changes it ({view.writes})" if view.writes else "returns it"
    message = (
        f"`{view.name}` fetches the `{model}` whose id the request names ({fetch[3]} at line "
        f"{fetch[1]}) and {use} without checking that it belongs to the signed-in user, "
        f"while {len(checked)} other views on `{model}` check: {listed}{more}. Any signed-in "
        f"user can reach another user's `{model}` by changing the id."
    )
    location = view.finding.location
    trace = (
        *(
            TraceStep(
                Location(v.finding.location.path, v.line),
                f"`{v.name}` scopes `{model}` to the signed-in user",
            )
            for v in shown
        ),
        TraceStep(
            Location(location.path, fetch[1]),
            f"`{view.name}` fetches `{model}` by the request's id, unscoped",
        ),
    )
    return replace(
        view.finding,
        rule_id=meta.id,
        cwe=meta.cwe,
        title=meta.title,
        severity=meta.severity,
        confidence="medium" if len(checked) >= 3 else "low",
        message=message,
        fix=meta.fix,
        trace=trace,
    )


# --- password-stored-in-plaintext ------------------------------------------------------------
def _plaintext_passwords(facts: list[AccessFacts]) -> list[Finding]:
    """A typed password stored as typed: a model built with it (unless that class hashes on
    the way in), or assigned to `.password` in a package none of whose classes does."""
    hashing: dict[str, set[str]] = defaultdict(set)  # scope -> classes that hash
    for module in facts:
        hashing[scope_of(module.module)].update(module.hashing_classes)
    every = hashing.get("", set())
    models = {name for module in facts for name in module.model_classes}
    found: list[Finding] = []
    for module in facts:
        scope = scope_of(module.module)
        classes = hashing.get(scope, set()) | every
        for built, finding in module.password_stores:
            model = built.split(".", 1)[0]
            if (built and model in classes) or (not built and classes):
                continue
            if built and model not in models and ".objects." not in built:
                continue  # a plain object (a dataclass handed to a service), not a model
            message = (
                f"{finding.message} stores the password the user typed as it is, with no "
                "hash: whoever reads the database, a backup or a log of it reads every "
                "user's password."
            )
            found.append(_fixed(replace(finding, message=message), module))
    return found


# --- json-endpoint-without-csrf -------------------------------------------------------------
def _json_without_csrf(facts: list[AccessFacts]) -> list[Finding]:
    """A Flask view that changes stored data for the user of the session cookie on a JSON body
    it parses whatever the content type, in a project (a top package) with no CSRF protection
    covering it and a session cookie another site's requests carry (SameSite not Lax/Strict)."""
    packages = {m.module.split(".", 1)[0] for m in facts if "." in m.module}

    def top(module: str) -> str:  # a package's `__init__` sets up the package
        first = module.split(".", 1)[0]
        return first if first in packages else ""

    protected = {top(m.module): m.csrf for m in facts if m.csrf}
    samesite = {top(m.module): m.samesite for m in facts if m.samesite}
    meta = get_rule(CSRF_RULE)
    assert meta is not None
    found: list[Finding] = []
    for module in facts:
        scope = top(module.module)
        csrf = protected.get(scope) or protected.get("", "")
        setting = samesite.get(scope) or samesite.get("")
        for view in module.views:
            if not (view.json_any and view.writes and view.cookie_user) or view.public:
                continue
            if csrf and not view.csrf_exempt:
                continue
            if setting and _cross_site_safe(setting[0]):
                continue
            where = f"package `{scope}`" if scope else "the reviewed tree"
            no_csrf = (
                f"it is exempt from the CSRF protection ({view.csrf_exempt})"
                if view.csrf_exempt
                else f"nothing in {where} sets up CSRF protection (no Flask-WTF `CSRFProtect`)"
            )
            cookie = (
                f"the session cookie is `SameSite={setting[0]}` ({setting[1]})"
                if setting
                else "`SESSION_COOKIE_SAMESITE` is set nowhere in the code (Flask's default: None)"
            )
            message = (
                f"`{view.name}` changes stored data ({view.writes}) for the user of the session "
                f"cookie ({view.cookie_user}) on a body parsed whatever its content type "
                f"({view.json_any}); {no_csrf}, and {cookie}: another site's page can post a "
                "`text/plain` form that reads as JSON, and the browser sends the cookie."
            )
            found.append(_fixed(_as_rule(view.finding, meta, message), module))
    return found


def _cross_site_safe(value: str) -> bool:
    """`"Lax"`, `'Strict'`, or a value the code does not spell (`os.environ[...]`): only an
    explicit None, `"None"`, False or `""` lets another site's POST carry the cookie."""
    return value.strip("'\"").lower() not in ("none", "false", "")


# --- login-without-attempt-limit -------------------------------------------------------------
def _unlimited_logins(facts: list[AccessFacts]) -> list[Finding]:
    """A view that checks a password or one-time code, in a project (a top package) where
    nothing limits attempts: no limiter, throttle, lockout or attempt counter anywhere."""
    limited = {scope_of(module.module) for module in facts if module.limits}
    meta = get_rule(LOGIN_RULE)
    assert meta is not None
    found: list[Finding] = []
    for module in facts:
        scope = scope_of(module.module)
        if "" in limited or scope in limited:
            continue
        for view in module.views:
            if not view.password_check or view.public:
                continue
            where = f"package `{scope}`" if scope else "the reviewed tree"
            message = (
                f"`{view.name}` checks a password or code the client sends "
                f"({view.password_check}), and nothing in {where} limits attempts (no rate "
                "limiter, throttle, lockout or failed-attempt counter): passwords can be "
                "guessed as fast as the server answers."
            )
            found.append(_fixed(_as_rule(view.finding, meta, message), module))
    return found


# --- policy-default-allows-anyone ----------------------------------------------------------
def _open_policies(facts: list[AccessFacts]) -> list[Finding]:
    constants = {name: value for module in facts for name, value in module.constants}
    defaults = [policy for module in facts for policy in module.policies]
    by_name = {p.name: p for p in defaults if p.name}
    found: list[Finding] = []
    for policy in defaults:
        check = _check_string(policy, constants, by_name)
        if check is None:
            continue
        written, value = check
        if value not in _OPEN or not _mutating(policy):
            continue
        operation = policy.name.lstrip("…") or "the operation"
        methods = f" ({', '.join(sorted(set(policy.methods)))})" if policy.methods else ""
        anyone = "any caller with a token" if value == "@" else "anyone (an empty rule)"
        message = (
            f"Policy default `{operation}`{methods} has check string {written}, which lets "
            f"{anyone} perform an operation that changes state."
        )
        found.append(replace(policy.finding, message=message))
    return found


def _check_string(
    policy: PolicyDefault, constants: dict[str, str], by_name: dict[str, PolicyDefault]
) -> tuple[str, str] | None:
    """(the check string as the message names it, its value), following names and
    `rule:<name>` references a few steps; None when it cannot be told."""
    written = f"`{policy.check_ref}`" if policy.check_ref else repr(policy.check)
    current: PolicyDefault | None = policy
    for _ in range(4):
        if current is None:
            return None
        value = current.check
        if current.check_ref:
            if current.check_ref not in constants:
                return None
            value = constants[current.check_ref]
        reference = re.fullmatch(r"\s*rule:([\w:.\-]+)\s*", value)
        if reference is None:
            if current is not policy:
                written = f"{written} (`{current.name}` is {value!r})"
            else:
                written = f"{written} ({value!r})" if policy.check_ref else written
            return written, value
        current = by_name.get(reference.group(1))
    return None


def _mutating(policy: PolicyDefault) -> bool:
    if policy.methods is not None:
        return any(method not in _READ_METHODS for method in policy.methods)
    verbs = set(re.split(r"[^a-z]+", policy.name.lower()))
    return bool(verbs & _MUTATING)


# --- query-not-scoped-to-project -------------------------------------------------------------
_PROJECT_MATCH = lazyre.compile(r"\b(project_id|tenant_id|tenant|project)\s*:\s*%\(")
# a check string's alternative that only administrators pass
_ADMIN_TOKEN = lazyre.compile(
    r"role:admin\b|is_admin:\s*True|system_scope:all|"
    r"rule:(context_is_admin|admin_api|admin_required|admin_only|cloud_admin|is_admin)\b",
    re.I,
)


def _unscoped_queries(facts: list[AccessFacts]) -> list[Finding]:
    """An API handler that looks up by client data with an elevated context or none, and
    checks neither the object's project nor that the caller is an administrator, where its
    controller's other handlers scope to the caller, or where its own policy is not
    admin-only: the policy then admits members of any project to another's object."""
    constants = {name: value for module in facts for name, value in module.constants}
    defaults = {p.name: p for module in facts for p in module.policies if p.name}
    resources: dict[str, list[tuple[Handler, AccessFacts]]] = defaultdict(list)
    for module in facts:
        for handler in module.handlers:
            resources[handler.resource].append((handler, module))
    found: list[Finding] = []
    for members in resources.values():
        scoped = [h for h, _ in members if _scopes(h) and _unscoped(h) is None]
        reported = []
        for handler, module in members:
            lookup = _unscoped(handler)
            if lookup is None or handler.admin_check:
                continue
            before = [p for p in handler.policies if p.line <= lookup.line]
            checks = [(p, _policy_check_string(p, constants, defaults)) for p in before]
            if any(c is not None and _admin_only(c, defaults, constants) for _, c in checks):
                continue  # administrators only: any project's object is theirs
            # a policy on the object's project says the object is a project's, not shared
            open_checks = [
                (p, c)
                for p, c in checks
                if c is not None and _project_owned(c[1], defaults, constants, 4)
            ]
            siblings = [h for h in scoped if h is not handler]
            if siblings or open_checks:
                reported.append((handler, module, lookup, siblings, open_checks))
        for handler, module, lookup, siblings, open_checks in reported:
            # medium when the controller is consistent: this handler alone does not scope
            confidence = "medium" if len(siblings) >= 2 and len(reported) == 1 else "low"
            finding = _worded_query(handler, lookup, siblings, open_checks, confidence)
            found.append(_fixed(finding, module))
    return found


def _scopes(handler: Handler) -> bool:
    return handler.object_check or any(lookup.how == "scoped" for lookup in handler.lookups)


def _unscoped(handler: Handler) -> Lookup | None:
    """The handler's first lookup that an elevated context or a raw query makes, when no
    check on the object's project and no scoped lookup before it vouch for the object."""
    if handler.object_check:
        return None
    for lookup in handler.lookups:
        if lookup.how == "scoped":
            return None  # the caller's own lookup came first: the object is theirs
        return lookup
    return None


def _policy_check_string(
    use: PolicyUse, constants: dict[str, str], defaults: dict[str, PolicyDefault]
) -> tuple[str, str] | None:
    """(the policy's name, its default check string), or None when the tree does not say."""
    name = use.name
    if not name and use.ref in constants:
        root = constants[use.ref]
        name = root % use.suffix if use.suffix and "%s" in root else root
    default = defaults.get(name) if name else None
    if default is None:
        return None
    check = _check_string(default, constants, defaults)
    return (name, check[1]) if check is not None else None


def _project_owned(
    text: str, defaults: dict[str, PolicyDefault], constants: dict[str, str], depth: int
) -> bool:
    """The check string (its `rule:`s followed) matches the target's project:
    `project_id:%(project_id)s`. A policy that does not is for a shared resource (a flavor,
    a volume type), which an elevated lookup may read for anyone."""
    if _PROJECT_MATCH.search(text):
        return True
    if depth == 0:
        return False
    for name in re.findall(r"rule:([\w:.\-]+)", text):
        default = defaults.get(name)
        check = _check_string(default, constants, defaults) if default else None
        if check is not None and _project_owned(check[1], defaults, constants, depth - 1):
            return True
    return False


def _admin_only(
    check: tuple[str, str], defaults: dict[str, PolicyDefault], constants: dict[str, str]
) -> bool:
    return _admin_text(check[1], defaults, constants, 4)


def _admin_text(
    text: str, defaults: dict[str, PolicyDefault], constants: dict[str, str], depth: int
) -> bool:
    """Every alternative of the check string needs an administrator (following `rule:`)."""
    alternatives = _split(text, "or")
    if not alternatives or depth == 0:
        return False
    for alternative in alternatives:
        parts = _split(alternative, "and")
        if any(_ADMIN_TOKEN.search(part) for part in parts):
            continue
        inner = [p for p in parts if re.fullmatch(r"rule:[\w:.\-]+", p)]
        followed = False
        for part in inner:
            default = defaults.get(part[len("rule:") :])
            check = _check_string(default, constants, defaults) if default else None
            if check is not None and _admin_text(check[1], defaults, constants, depth - 1):
                followed = True
                break
        if not followed:
            return False
    return True


def _split(text: str, word: str) -> list[str]:
    """The operands of `word` at the top level of a check string (outer parentheses off)."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    parts, depth, start = [], 0, 0
    tokens = list(re.finditer(rf"\(|\)|\b{word}\b", text))
    for token in tokens:
        if token.group() == "(":
            depth += 1
        elif token.group() == ")":
            depth -= 1
        elif depth == 0:
            parts.append(text[start : token.start()].strip())
            start = token.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _worded_query(
    handler: Handler,
    lookup: Lookup,
    siblings: list[Handler],
    checks: list[tuple[PolicyUse, tuple[str, str]]],
    confidence: str,
) -> Finding:
    meta = get_rule(QUERY_RULE)
    assert meta is not None
    how = (
        f"with an elevated context (`{lookup.context}`), which skips the project scoping of "
        "the DB layer"
        if lookup.how == "elevated"
        else "with a database query that takes no context"
    )
    evidence: list[str] = []
    if siblings:
        shown = ", ".join(f"`{h.name}` (line {h.line})" for h in siblings[:SHOWN])
        more = f" and {len(siblings) - SHOWN} more" if len(siblings) > SHOWN else ""
        evidence.append(f"the controller's other handlers scope to the caller: {shown}{more}")
    if checks:
        _, (name, check) = checks[0]
        evidence.append(f"its policy `{name}` defaults to {check!r}, not admin-only")
    controller = handler.resource.rsplit(".", 1)[-1]
    message = (
        f"`{controller}.{handler.name}` looks up by the id or filter the client sends "
        f"({lookup.call} at line {lookup.line}) {how}, and checks no project on the object; "
        f"{'; '.join(evidence)}. A member of any project can reach another project's object "
        "by naming its id."
    )
    location = handler.finding.location
    at = Location(location.path, lookup.line, 1, lookup.line)
    trace = (
        *(
            TraceStep(Location(location.path, h.line), f"`{h.name}` scopes to the caller")
            for h in siblings[:SHOWN]
        ),
        *(
            TraceStep(Location(location.path, use.line), f"policy `{name}` is {check!r}")
            for use, (name, check) in checks[:1]
        ),
        TraceStep(at, f"`{handler.name}` looks up by client data {how}"),
    )
    return replace(
        handler.finding,
        location=at,
        region=(lookup.line, lookup.line),
        confidence=confidence,  # type: ignore[arg-type]
        message=message,
        trace=trace,
    )
