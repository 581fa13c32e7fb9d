"""Pass 1 of a function's analysis, control flow: the state each statement runs in, and
where the paths that leave a statement go.

Python's control flow is structured (no goto), so a walk over the statements in order is
as exact as a control-flow graph: each statement runs in the join of the states of the
paths that reach it, and the walk keeps, beside the state that falls through, the states
that leave by `break`, `continue`, `return` and exceptions:

- `if`/`while` tests refine the state on each branch (what a check proves there); a test
  whose value is a constant (`values.truth`) takes one branch only;
- `break` goes to the end of its loop, `continue` to the next iteration, and `for … else` /
  `while … else` run when the loop ends without `break`;
- a loop body runs until what it carries from one iteration to the next stops changing
  (or `MAX_ROUNDS` rounds);
- an `except` handler is entered from any point of its `try` body: the join of the states
  before each statement of the body and at each `raise` there; a handler that leaves
  (`return`, `raise`, `continue`, `break`, a call that never returns) does not reach the
  code after the `try`;
- `finally` runs on the path that falls through, and again on the paths that leave the
  `try` (by `return`, `break`, `continue` or an exception), which go on leaving after it;
- a `with` whose context manager may swallow exceptions (`contextlib.suppress`, a class
  of the module whose `__exit__` returns a true constant) may go on after any statement
  of its block;
- `match` takes each case whose pattern may match, and falls through when none has to;
- a call that never returns (`sys.exit()`, `os._exit()`, `abort(403)`) ends its path:
  the code after it is dead.

A *state* is whatever the analysis (a subclass) tracks along a path; `None` is no path
(dead code). The subclass supplies the transfer of simple statements and tests, and how
states are copied and joined (see the abstract methods). Assumes exceptions may be raised
by any statement, and that a statement's effects happen only if it completes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_ROUNDS = 3  # a loop body's walks at most (the first, and two with carried data)
_MAX_LOOP_NESTING = 3  # deeper loops run their body once

# calls after which a path never goes on: the process ends, or an HTTP error is raised
NEVER_RETURN = frozenset(
    {
        "sys.exit",
        "os._exit",
        "os.abort",
        "builtins.exit",
        "builtins.quit",
        "flask.abort",
        "werkzeug.exceptions.abort",
        "quart.abort",
        "pecan.abort",
        "bottle.abort",
        "fastapi.HTTPException",
    }
)
# the same by last name, for calls the module does not import by name (`self.abort()`)
NEVER_RETURN_NAMES = frozenset({"abort", "_exit", "exit", "fail", "raise_error"})
# context managers that swallow exceptions of their body
SWALLOWING = frozenset({"contextlib.suppress"})


@dataclass(slots=True)
class _Loop[S]:
    breaks: list[S] = field(default_factory=list)
    continues: list[S] = field(default_factory=list)


@dataclass(slots=True)
class _Try[S]:
    """A `try` body (or a swallowing `with` block) being walked: the states an exception
    may leave it in."""

    raised: list[S] = field(default_factory=list)


@dataclass(slots=True)
class _Finally[S]:
    """A `try … finally` being walked: the paths leaving it before the `finally` runs."""

    returns: list[S] = field(default_factory=list)
    breaks: list[S] = field(default_factory=list)
    continues: list[S] = field(default_factory=list)
    raises: list[S] = field(default_factory=list)


class FlowWalker[S]:
    """Walks a function's statements in execution order; subclasses say what a state is
    and how simple statements and tests change it."""

    state: S | None

    def __init__(self) -> None:
        self.state = None
        self._loops: list[_Loop[S]] = []
        self._tries: list[_Try[S]] = []
        # enclosing `try … finally`s and loops, innermost last, in the order they nest: an
        # exit goes through the `finally`s inside the loop it leaves
        self._frames: list[_Loop[S] | _Finally[S] | _Try[S]] = []

    # --- what a subclass supplies ---------------------------------------------------
    def copy(self, state: S) -> S:
        raise NotImplementedError

    def join(self, states: list[S]) -> S:
        raise NotImplementedError

    def simple(self, stmt: ast.stmt) -> None:
        """The effect of a statement without control flow of its own (assignments,
        expressions, `del`, `import`, nested `def`/`class`) on `self.state`."""
        raise NotImplementedError

    def test(self, test: ast.expr) -> tuple[S | None, S | None]:
        """Evaluate a branch's test in `self.state`: the states when it is true and when it
        is false (None: the test cannot be so)."""
        raise NotImplementedError

    def bind_loop_target(self, stmt: ast.For | ast.AsyncFor) -> None:
        """Bind a `for` loop's target to an element of what it iterates."""

    def iterate(self, stmt: ast.For | ast.AsyncFor) -> None:
        """Evaluate what a `for` loop iterates (once, before the loop)."""

    def enter_with(self, item: ast.withitem, stmt: ast.stmt) -> None:
        """Evaluate a context manager and bind its `as` target."""

    def returned(self, stmt: ast.Return) -> None:
        """Evaluate a `return`'s value and record it."""

    def raised(self, stmt: ast.Raise) -> None:
        """Evaluate a `raise`'s exception and record what it carries."""

    def begin_try(self, stmt: ast.Try | ast.TryStar) -> None:
        """A `try` with handlers: its body is about to be walked."""

    def end_try(self, stmt: ast.Try | ast.TryStar) -> None:
        """Its body has been walked; its handlers come next."""

    def enter_handler(self, handler: ast.ExceptHandler) -> None:
        """Bind an `except … as name` target; `self.state` is the handler's entry state."""

    def end_handlers(self, stmt: ast.Try | ast.TryStar) -> None:
        """Every handler of the `try` has been walked."""

    def carried(self, stmt: ast.For | ast.AsyncFor | ast.While, before: S, after: S) -> bool:
        """Whether what a loop body changed (`before` the iteration, `after` it) can reach
        the next iteration's reads: if not, one more walk would find nothing new."""
        return True

    def case(self, subject: ast.expr, case: ast.match_case) -> tuple[S | None, bool]:
        """Bind a `match` case's captures and apply what its pattern and guard prove:
        (the state of the case body, whether the pattern always matches)."""
        return self.copy(self.state), False  # type: ignore[arg-type]

    def match_subject(self, stmt: ast.Match) -> None:
        """Evaluate a `match` statement's subject."""

    def never_returns(self, call: ast.Call) -> bool:
        """Whether the call never returns to its caller (`sys.exit()`, `abort(403)`)."""
        return False

    def swallows(self, item: ast.withitem) -> bool:
        """Whether the context manager may swallow an exception of its block."""
        return False

    # --- the walk -------------------------------------------------------------------
    def block(self, body: Iterable[ast.stmt]) -> None:
        for stmt in body:
            if self.state is None:
                return  # the rest of the block is dead
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        if self._tries:
            self._may_raise()
        kind = type(stmt)
        handler = _DISPATCH.get(kind)
        if handler is not None:
            handler(self, stmt)
            return
        self.simple(stmt)
        if (
            kind is ast.Expr
            and type(stmt.value) is ast.Call  # type: ignore[attr-defined]
            and self.state is not None
            and self.never_returns(stmt.value)  # type: ignore[attr-defined]
        ):
            self._leave_by_raise()

    def _may_raise(self) -> None:
        """The statement about to run may raise: the innermost `try` may be left in the
        state before it."""
        if self.state is not None:
            self._tries[-1].raised.append(self.copy(self.state))

    def _if(self, stmt: ast.If) -> None:
        when_true, when_false = self.test(stmt.test)
        self.state = when_true
        self.block(stmt.body)
        after_body = self.state
        self.state = when_false
        self.block(stmt.orelse)
        self.state = self._join_live([after_body, self.state])

    def _return(self, stmt: ast.Return) -> None:
        self.returned(stmt)
        self._leave("returns")

    def _raise(self, stmt: ast.Raise) -> None:
        self.raised(stmt)
        self._leave_by_raise()

    def _leave_by_raise(self) -> None:
        if self._tries and self.state is not None:
            self._tries[-1].raised.append(self.copy(self.state))
        self._leave("raises")

    def _break(self, stmt: ast.stmt) -> None:
        self._leave("breaks")

    def _continue(self, stmt: ast.stmt) -> None:
        self._leave("continues")

    def _leave(self, how: str) -> None:
        """The path leaves by `how`: to the innermost frame that takes it (a `finally`
        first, which runs and then sends the path on), and the state after is dead."""
        state = self.state
        self.state = None
        if state is None:
            return
        for frame in reversed(self._frames):
            if isinstance(frame, _Finally):
                getattr(frame, how).append(state)
                return
            if isinstance(frame, _Loop) and how in ("breaks", "continues"):
                getattr(frame, how).append(state)
                return
        # a `return` or an uncaught exception leaves the function: nothing more to walk

    def _loop(self, stmt: ast.For | ast.AsyncFor | ast.While) -> None:
        is_for = not isinstance(stmt, ast.While)
        if is_for:
            self.iterate(stmt)  # type: ignore[arg-type]
        head = self.state
        if head is None:
            return
        nesting = sum(isinstance(f, _Loop) for f in self._frames)
        rounds = MAX_ROUNDS if nesting < _MAX_LOOP_NESTING else 1
        loop: _Loop[S] = _Loop()
        for _ in range(rounds):
            loop.continues.clear()
            self.state = self.copy(head)
            if is_for:
                self.bind_loop_target(stmt)  # type: ignore[arg-type]
            else:
                self.state = self.test(stmt.test)[0]  # type: ignore[union-attr]
            self._frames.append(loop)
            self.block(stmt.body)
            self._frames.pop()
            back = [s for s in (self.state, *loop.continues) if s is not None]
            if not back:
                break  # every iteration leaves the loop (or the function)
            new_head = self.join([head, *back])
            done = self._same(new_head, head) or not self.carried(stmt, head, new_head)
            head = new_head
            if done:
                break
        # the loop ends at its head: the iterator is exhausted, or the test is false
        self.state = self.copy(head)
        if not is_for:
            self.state = self.test(stmt.test)[1]  # type: ignore[union-attr]
        self.block(stmt.orelse)
        self.state = self._join_live([self.state, *loop.breaks])

    def _same(self, a: S, b: S) -> bool:
        return a == b

    def _with(self, stmt: ast.With | ast.AsyncWith) -> None:
        swallowing = False
        for item in stmt.items:
            self.enter_with(item, stmt)
            swallowing = swallowing or self.swallows(item)
        if not swallowing:
            self.block(stmt.body)
            return
        frame: _Try[S] = _Try()
        self._tries.append(frame)
        self.block(stmt.body)
        self._tries.pop()
        self.state = self._join_live([self.state, *frame.raised])

    def _try(self, stmt: ast.Try | ast.TryStar) -> None:
        guard: _Finally[S] | None = _Finally() if stmt.finalbody else None
        if guard is not None:
            self._frames.append(guard)
        frame: _Try[S] | None = _Try() if stmt.handlers else None
        if frame is not None:
            self._tries.append(frame)
            self.begin_try(stmt)
        self.block(stmt.body)
        if frame is not None:
            self._tries.pop()
            self.end_try(stmt)
        self.block(stmt.orelse)
        outs: list[S | None] = [self.state]
        if frame is not None and frame.raised:
            entry = self.join(frame.raised)
            catch_all = False
            for handler in stmt.handlers:
                self.state = self.copy(entry)
                self.enter_handler(handler)
                self.block(handler.body)
                outs.append(self.state)
                catch_all = catch_all or handler.type is None
            if not catch_all and self._tries:
                # what no handler catches goes on to the enclosing `try`
                self._tries[-1].raised.append(self.copy(entry))
        if frame is not None:
            self.end_handlers(stmt)
        normal = self._join_live(outs)
        if guard is None:
            self.state = normal
            return
        self._frames.pop()
        # `finally` on the paths that leave the `try`, which go on leaving after it
        for how in ("returns", "breaks", "continues", "raises"):
            leaving = getattr(guard, how)
            if not leaving:
                continue
            self.state = self.join(leaving)
            self.block(stmt.finalbody)
            if how == "raises" and self._tries and self.state is not None:
                self._tries[-1].raised.append(self.copy(self.state))
            self._leave(how)
        # and on the path that falls through
        self.state = normal
        self.block(stmt.finalbody)

    def _match(self, stmt: ast.Match) -> None:
        self.match_subject(stmt)
        entry = self.state
        if entry is None:
            return
        outs: list[S | None] = []
        exhaustive = False
        for case in stmt.cases:
            self.state = self.copy(entry)
            body_state, always = self.case(stmt.subject, case)
            self.state = body_state
            self.block(case.body)
            outs.append(self.state)
            if always and case.guard is None:
                exhaustive = True
                break
        if not exhaustive:
            outs.append(entry)
        self.state = self._join_live(outs)

    def _join_live(self, states: list[S | None]) -> S | None:
        live = [s for s in states if s is not None]
        if not live:
            return None
        return live[0] if len(live) == 1 else self.join(live)


_DISPATCH = {
    ast.If: FlowWalker._if,
    ast.For: FlowWalker._loop,
    ast.AsyncFor: FlowWalker._loop,
    ast.While: FlowWalker._loop,
    ast.With: FlowWalker._with,
    ast.AsyncWith: FlowWalker._with,
    ast.Try: FlowWalker._try,
    ast.TryStar: FlowWalker._try,
    ast.Match: FlowWalker._match,
    ast.Return: FlowWalker._return,
    ast.Raise: FlowWalker._raise,
    ast.Break: FlowWalker._break,
    ast.Continue: FlowWalker._continue,
}
