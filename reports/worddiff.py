"""Word-by-word differences in time that grows with the length of the texts, never with its cube.

difflib's SequenceMatcher looks for the longest common block again in every gap, which on repetitive text
("x x x …" against "x y x y …") costs minutes for a field of a few thousand characters. Here the words that
occur once in both texts anchor the alignment (patience diff); only the small gaps left between anchors go
to difflib, a gap too large to align cheaply is shown as replaced, and texts beyond a size or a work budget
are not compared word by word at all: the caller shows both versions side by side instead.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left

# Beyond this many differing words on one side a word-by-word comparison is no longer readable anyway.
MAX_WORDS = 6000
# Words looked at in all, over every gap; bounds the work whatever the shape of the texts.
WORK_BUDGET = 150_000
# Gaps with no anchor go to difflib only when small: its cost is cubic in the worst case.
SMALL_GAP = 900


class TooLongToCompare(Exception):
    """The texts are too long or too repetitive for a word-by-word comparison within the budget."""


def word_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes like SequenceMatcher.get_opcodes(), computed in bounded time; raises TooLongToCompare."""
    prefix = 0
    while prefix < len(a) and prefix < len(b) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < len(a) - prefix and suffix < len(b) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    if max(len(a), len(b)) - prefix - suffix > MAX_WORDS:
        raise TooLongToCompare
    matches: list[tuple[int, int, int]] = []
    _match(a, b, prefix, len(a) - suffix, prefix, len(b) - suffix, matches, [WORK_BUDGET])
    if prefix:
        matches.insert(0, (0, 0, prefix))
    if suffix:
        matches.append((len(a) - suffix, len(b) - suffix, suffix))
    return _opcodes(matches, len(a), len(b))


def _match(a, b, alo, ahi, blo, bhi, out, budget) -> None:
    """Appends the equal blocks (i, j, n) of a[alo:ahi] and b[blo:bhi] to out, in order."""
    # Regions still to look at, last first, so that blocks come out in order without recursion.
    todo = [(alo, ahi, blo, bhi)]
    while todo:
        item = todo.pop()
        if item[0] == "block":
            out.append(item[1:])
            continue
        alo, ahi, blo, bhi = item
        budget[0] -= (ahi - alo) + (bhi - blo)
        if budget[0] < 0:
            raise TooLongToCompare
        if alo >= ahi or blo >= bhi:
            continue
        head = 0
        while alo + head < ahi and blo + head < bhi and a[alo + head] == b[blo + head]:
            head += 1
        tail = 0
        while ahi - tail > alo + head and bhi - tail > blo + head and a[ahi - 1 - tail] == b[bhi - 1 - tail]:
            tail += 1
        if head or tail:
            if tail:
                todo.append(("block", ahi - tail, bhi - tail, tail))
            todo.append((alo + head, ahi - tail, blo + head, bhi - tail))
            if head:
                todo.append(("block", alo, blo, head))
            continue
        anchors = _unique_common(a, b, alo, ahi, blo, bhi)
        if anchors:
            # Between consecutive anchors, and around them, are regions to align in turn.
            pieces = []
            i, j = alo, blo
            for ai, bj in anchors:
                pieces.append((i, ai, j, bj))
                pieces.append(("block", ai, bj, 1))
                i, j = ai + 1, bj + 1
            pieces.append((i, ahi, j, bhi))
            todo.extend(reversed(pieces))
        elif (ahi - alo) * (bhi - blo) <= SMALL_GAP:
            budget[0] -= (ahi - alo) * (bhi - blo)
            matcher = difflib.SequenceMatcher(a=a[alo:ahi], b=b[blo:bhi], autojunk=False)
            for i, j, n in matcher.get_matching_blocks():
                if n:
                    out.append((alo + i, blo + j, n))
        # Otherwise nothing in common worth finding cheaply: the region is shown as replaced.


def _unique_common(a, b, alo, ahi, blo, bhi) -> list[tuple[int, int]]:
    """Words once in each side, longest run in the same order (patience sorting, n log n)."""
    seen_a: dict[str, int] = {}
    for i in range(alo, ahi):
        seen_a[a[i]] = -1 if a[i] in seen_a else i
    seen_b: dict[str, int] = {}
    for j in range(blo, bhi):
        if seen_a.get(b[j], -1) >= 0:
            seen_b[b[j]] = -1 if b[j] in seen_b else j
    pairs = sorted((seen_a[w], j) for w, j in seen_b.items() if j >= 0)
    # Longest increasing run of b positions over a order.
    tops: list[int] = []
    top_index: list[int] = []
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tops, j)
        if pos == len(tops):
            tops.append(j)
            top_index.append(k)
        else:
            tops[pos] = j
            top_index[pos] = k
        back[k] = top_index[pos - 1] if pos else -1
    run = []
    k = top_index[-1] if top_index else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]


def _opcodes(matches, len_a, len_b):
    ops = []
    i = j = 0
    for mi, mj, n in sorted(matches) + [(len_a, len_b, 0)]:
        if i < mi and j < mj:
            ops.append(("replace", i, mi, j, mj))
        elif i < mi:
            ops.append(("delete", i, mi, j, j))
        elif j < mj:
            ops.append(("insert", i, i, j, mj))
        if n:
            if ops and ops[-1][0] == "equal":
                ops[-1] = ("equal", ops[-1][1], mi + n, ops[-1][3], mj + n)
            else:
                ops.append(("equal", mi, mi + n, mj, mj + n))
        i, j = mi + n, mj + n
    return ops
