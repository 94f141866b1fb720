"""Rule text → ``ast`` nodes, with hostile input turned into typed errors.

Checks run from cheapest to dearest so that nothing unbounded reaches Python's
recursion: the text's length first, then lark's LALR parse (an explicit stack,
no recursion), then an iterative walk that bounds the tree's size and depth, and
only then the recursive transformation into ``ast`` nodes.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer, Tree, UnexpectedInput, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken, VisitError

from tagging.language import ast
from tagging.language.errors import RuleError, RuleSyntaxError, RuleTooComplex

MAX_CHARS = 20_000
MAX_NODES = 2_000
MAX_DEPTH = 40
MAX_NUMBER_DIGITS = 20
MAX_STRING_CHARS = 500
MAX_WINDOW_DAYS = 36_600
CACHED_CHARS = 1_000

_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_OPS = {"==": "=", "<>": "!=", "≠": "!=", "≤": "<=", "≥": ">="}
_TERMINALS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a quoted text",
    "DURATION": "a duration such as 90d",
    "COMP_OP": "a comparison",
    "ADD_OP": "'+' or '-'",
    "MUL_OP": "'*' or '/'",
    "LPAR": "'('",
    "RPAR": "')'",
    "COMMA": "','",
    "DOT": "'.'",
    "MINUS": "'-'",
    "$END": "the end of the rule",
}


@lru_cache(maxsize=1)
def _lark() -> Lark:
    text = resources.files("tagging.language").joinpath("grammar.lark").read_text("utf-8")
    return Lark(text, parser="lalr", propagate_positions=True, maybe_placeholders=True)


def parse(text: str) -> ast.Node:
    """The ``ast`` of a rule, or a ``RuleError`` saying where and why not.

    Rules of ordinary length are cached by text (trees are immutable): every
    run re-checks its tags' rules, and parsing is most of that work. Long ones
    are not, so the cache stays small whatever callers send (errors are never
    cached).
    """
    return _parse_cached(text) if len(text) <= CACHED_CHARS else _parse(text)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> ast.Node:
    return _parse(text)


def _parse(text: str) -> ast.Node:
    if len(text) > MAX_CHARS:
        raise RuleTooComplex(
            f"the rule has {len(text):,} characters; at most {MAX_CHARS:,} are allowed",
            expected=f"at most {MAX_CHARS:,} characters",
        )
    if not text.strip():
        raise RuleSyntaxError("the rule is empty", expected="an expression")
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text) from None
    _check_shape(tree)
    try:
        node = _ToAst().transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, RuleError):
            raise exc.orig_exc from None
        raise
    assert isinstance(node, ast.Node)
    return node


def _expected(names: set[str] | frozenset[str]) -> str:
    # described terminals ("a number") first, then keywords and punctuation
    shown = sorted({_TERMINALS.get(n, _keyword(n)) for n in names}, key=lambda s: (s[0] != "a", s))
    if len(shown) > 16:
        shown = [*shown[:16], "…"]
    return ", ".join(shown)


def _keyword(terminal: str) -> str:
    return f"'{terminal.lstrip('_').lower()}'"


def _syntax_error(exc: UnexpectedInput, text: str) -> RuleSyntaxError:
    if isinstance(exc, UnexpectedEOF):
        lines = text.splitlines() or [""]
        expected = _expected(set(exc.expected))
        return RuleSyntaxError(
            f"the rule ends too early; expected {expected}",
            line=len(lines),
            column=len(lines[-1]) + 1,
            expected=expected,
        )
    if isinstance(exc, UnexpectedCharacters):
        expected = _expected(set(exc.allowed or ()))
        pos = exc.pos_in_stream or 0
        char = text[pos] if pos < len(text) else ""
        return RuleSyntaxError(
            f"unexpected character {char!r}; expected {expected}",
            line=exc.line,
            column=exc.column,
            expected=expected,
        )
    assert isinstance(exc, UnexpectedToken)
    expected = _expected(set(exc.expected))
    token = exc.token
    if token.type == "$END":
        lines = text.splitlines() or [""]
        return RuleSyntaxError(
            f"the rule ends too early; expected {expected}",
            line=len(lines),
            column=len(lines[-1]) + 1,
            expected=expected,
        )
    return RuleSyntaxError(
        f"unexpected {str(token)[:40]!r}; expected {expected}",
        line=token.line or 1,
        column=token.column or 1,
        expected=expected,
    )


def _check_shape(tree: Tree[Token]) -> None:
    """Bound the node count and depth with an explicit stack (no recursion)."""
    count = 0
    stack: list[tuple[Tree[Token], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _too_complex(node, f"more than {MAX_NODES:,} terms")
        if depth > MAX_DEPTH:
            raise _too_complex(node, f"nested more than {MAX_DEPTH} levels deep")
        # n-ary and/or children sit one level down; a long and/or is wide, not deep
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth + 1))


def _too_complex(node: Tree[Token], what: str) -> RuleTooComplex:
    line = getattr(node.meta, "line", 1) if not node.meta.empty else 1
    column = getattr(node.meta, "column", 1) if not node.meta.empty else 1
    return RuleTooComplex(
        f"the rule is too complex: {what}", line=line, column=column, expected="a smaller rule"
    )


def _pos(item: Any) -> tuple[int, int]:
    if isinstance(item, Token):
        return item.line or 1, item.column or 1
    meta = item.meta if isinstance(item, Tree) else item
    return getattr(meta, "line", 1), getattr(meta, "column", 1)


def _number(token: Token, negative: bool = False) -> ast.Number:
    raw = str(token)
    scale = _SCALE.get(raw[-1], Decimal(1))
    digits = raw.rstrip("万亿")
    if sum(ch.isdigit() for ch in digits) > MAX_NUMBER_DIGITS:
        raise RuleSyntaxError(
            f"the number {raw[:24]}… is too long",
            line=token.line or 1,
            column=token.column or 1,
            expected=f"a number of at most {MAX_NUMBER_DIGITS} digits",
        )
    value = Decimal(digits) * scale
    return ast.Number(token.line or 1, token.column or 1, -value if negative else value)


@v_args(meta=True)
class _ToAst(Transformer[Token, ast.Node]):
    """lark tree → ``ast``; only called on trees ``_check_shape`` has bounded."""

    def number(self, meta: Any, children: list[Token]) -> ast.Number:
        return _number(children[0])

    def neg_number(self, meta: Any, children: list[Token]) -> ast.Number:
        return _number(children[0], negative=True)

    def string(self, meta: Any, children: list[Token]) -> ast.String:
        token = children[0]
        raw = str(token)
        value = raw[1:-1].replace(raw[0] * 2, raw[0])
        if len(value) > MAX_STRING_CHARS:
            raise RuleSyntaxError(
                "the quoted text is too long",
                line=token.line or 1,
                column=token.column or 1,
                expected=f"a text of at most {MAX_STRING_CHARS} characters",
            )
        return ast.String(token.line or 1, token.column or 1, value)

    def true(self, meta: Any, children: list[Any]) -> ast.Bool:
        return ast.Bool(*_pos(meta), True)

    def false(self, meta: Any, children: list[Any]) -> ast.Bool:
        return ast.Bool(*_pos(meta), False)

    def path(self, meta: Any, children: list[Token]) -> ast.Name:
        return ast.Name(*_pos(meta), tuple(str(c) for c in children))

    def neg(self, meta: Any, children: list[ast.Node]) -> ast.Node:
        return ast.Neg(*_pos(meta), children[0])

    def arith(self, meta: Any, children: list[Any]) -> ast.Arith:
        left, op, right = children
        return ast.Arith(*_pos(meta), str(op), left, right)

    def compare(self, meta: Any, children: list[Any]) -> ast.Compare:
        left, op, right = children
        return ast.Compare(*_pos(meta), _OPS.get(str(op), str(op)), left, right)

    def and_expr(self, meta: Any, children: list[ast.Node]) -> ast.And:
        return ast.And(*_pos(meta), tuple(children))

    def or_expr(self, meta: Any, children: list[ast.Node]) -> ast.Or:
        return ast.Or(*_pos(meta), tuple(children))

    def not_(self, meta: Any, children: list[ast.Node]) -> ast.Not:
        return ast.Not(*_pos(meta), children[0])

    def literal_list(self, meta: Any, children: list[Any]) -> tuple[Any, ...]:
        return tuple(children)

    def in_(self, meta: Any, children: list[Any]) -> ast.In:
        return ast.In(*_pos(meta), children[0], children[1], negated=False)

    def not_in(self, meta: Any, children: list[Any]) -> ast.In:
        return ast.In(*_pos(meta), children[0], children[1], negated=True)

    def between(self, meta: Any, children: list[ast.Node]) -> ast.Between:
        return ast.Between(*_pos(meta), *children)

    def is_null(self, meta: Any, children: list[ast.Node]) -> ast.IsNull:
        return ast.IsNull(*_pos(meta), children[0], negated=False)

    def is_not_null(self, meta: Any, children: list[ast.Node]) -> ast.IsNull:
        return ast.IsNull(*_pos(meta), children[0], negated=True)

    def when(self, meta: Any, children: list[ast.Node]) -> tuple[ast.Node, ast.Node]:
        return children[0], children[1]

    def case(self, meta: Any, children: list[Any]) -> ast.Case:
        *whens, else_ = children
        return ast.Case(*_pos(meta), tuple(whens), else_)

    def arg(self, meta: Any, children: list[Any]) -> ast.Arg:
        expr, where, duration = children
        days = None
        if duration is not None:
            days = int(str(duration)[:-1])
            if not 1 <= days <= MAX_WINDOW_DAYS:
                raise RuleSyntaxError(
                    f"a window of {str(duration)[:12]} is out of range",
                    line=duration.line or 1,
                    column=duration.column or 1,
                    expected=f"a duration between 1d and {MAX_WINDOW_DAYS}d",
                )
        return ast.Arg(*_pos(meta), expr, where, days)

    def call(self, meta: Any, children: list[Any]) -> ast.Call:
        name, *args = children
        return ast.Call(*_pos(meta), str(name), tuple(a for a in args if a is not None))
