"""Several versions of one agency: which counts is never decided by a clock.

Two different files (different bytes) of one agency are a conflict: neither is merged,
both are named with the cells that differ, until the user says which counts (``--prefer
FILE``) or removes one. The file's saved time is not evidence (LibreOffice 7.4 writes local
time marked as UTC, PC clocks are wrong, some producers write none).

Without a roster a generic template's return is known by the name it typed; names that are
the same after :func:`xlreport.identity.normal_name` are one agency, and names that differ
by a character or two added or dropped (a corrected or completed name) are treated as one
agency too — a conflict, never two agencies summed. So is a generic return whose name is
(near) the name a coded return states: a version of that agency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from xlreport.checks.model import CheckedFile, ReturnData
from xlreport.identity import WORKBOOK_KIND_SUMMARY, normal_name
from xlreport.merge.diff import describe_differences, differing_cells
from xlreport.merge.model import FileOutcome, agency_key, agency_name, base_name
from xlreport.spec.model import Layout

if TYPE_CHECKING:
    from xlreport.merge.select import Candidate

#: A name is "near" another when it is that name with at most this many characters added …
NEAR_EXTRA = 2
#: … and has at least this many characters itself.
NEAR_MIN = 3


def version_key(data: ReturnData) -> str:
    """Versions of one input share this key: an agency's code; a summary's code and its
    contributors (a summary never replaces one with other contributors)."""
    if data.identity.kind == WORKBOOK_KIND_SUMMARY:
        return "summary:" + agency_key(data) + ":" + ",".join(sorted(data.identity.contributors))
    return agency_key(data)


def _deletions(name: str, depth: int) -> set[str]:
    out, level = {name}, {name}
    for _ in range(depth):
        level = {w[:i] + w[i + 1 :] for w in level for i in range(len(w))}
        out |= level
    return out


def near(a: str, b: str) -> bool:
    """Two normalised names a clerk would take for one agency: one is the other with one or
    two characters added (a name corrected or completed: 某某乡人民政 / 某某乡人民政府).
    A character replaced is not near: 城关镇 and 城南镇 are two towns."""
    short, long_ = sorted((a, b), key=len)
    if len(short) < NEAR_MIN or not 1 <= len(long_) - len(short) <= NEAR_EXTRA:
        return False
    rest = iter(long_)  # characters dropped from the longer one leave the shorter one
    return all(ch in rest for ch in short)


def near_pairs(names: Iterable[str]) -> list[tuple[str, str]]:
    """Every pair of near names, through the deletion variants of each (no n² comparison)."""
    distinct = set(names)
    by_variant: dict[str, set[str]] = defaultdict(set)
    for name in distinct:
        for variant in _deletions(name, NEAR_EXTRA):
            if variant != name:
                by_variant[variant].add(name)
    pairs = {
        tuple(sorted((short, long_)))
        for short in distinct
        for long_ in by_variant.get(short, ())
        if near(short, long_)
    }
    return sorted((p[0], p[1]) for p in pairs)


def group_versions(
    members: Sequence[int],
    facts: Mapping[int, Candidate],
    name_of: Callable[[int], str],
) -> tuple[dict[str, list[int]], dict[str, int], dict[str, list[str]], dict[str, list[str]]]:
    """Inputs grouped by agency; generic returns with near names joined into one group,
    and with the one coded agency whose name is the same or near. Returns the groups of
    several inputs, the agencies with one input alone (key → that input: most of them,
    kept without a list each), per group the distinct names that were joined (more than
    one: near), and the generic returns' groups whose name fits several coded agencies (→
    those agencies' codes). ``name_of``: an input's normalised agency name (asked for
    only when there are generic returns)."""
    single: dict[str, int] = {}
    groups: dict[str, list[int]] = {}
    name_of_key: dict[str, str] = {}  # generic returns' keys → their names
    for i in members:
        key = facts[i].version
        if key in groups:
            groups[key].append(i)
        elif key in single:
            groups[key] = [single.pop(key), i]
        else:
            single[key] = i
        if facts[i].generic:
            name_of_key[key] = name_of(i)
    coded: dict[str, set[str]] = defaultdict(set)  # names → the coded returns' keys
    if name_of_key:  # most merges have no generic return: no name is needed
        for i in members:
            if facts[i].coded_name:
                coded[name_of(i)].add(facts[i].version)
    parent: dict[str, str] = {}  # only the keys joined to another (the others are roots)

    def root(k: str) -> str:
        while parent.get(k, k) != k:
            parent[k] = parent.get(parent[k], parent[k])
            k = parent[k]
        return k

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    key_of_name = {n: k for k, n in name_of_key.items()}
    for a, b in near_pairs(name_of_key.values()):
        join(key_of_name[a], key_of_name[b])
    # a generic return whose name is (near) the name of one coded agency is that agency's
    # too: a version of it, never a second agency summed beside it; (near) the names of
    # several, it is no one's for sure (``ambiguous``), and theirs stay as they are
    matched: dict[str, set[str]] = defaultdict(set)
    for generic, other in _generic_near_coded(key_of_name, coded):
        matched[generic] |= coded[other]
    ambiguous: dict[str, list[str]] = {}
    for generic, keys in matched.items():
        if len(keys) == 1:
            join(key_of_name[generic], next(iter(keys)))
        else:
            ambiguous[key_of_name[generic]] = sorted(keys)
    touched = set(parent) | set(parent.values())  # in a group joined from several keys
    joined: dict[str, list[int]] = defaultdict(list)
    alone: dict[str, int] = {}
    for k, i in single.items():
        if k in touched:
            joined[root(k)].append(i)
        else:
            alone[k] = i
    for k, idx in groups.items():
        joined[root(k)] += idx
    names: dict[str, list[str]] = defaultdict(list)
    for k, name in name_of_key.items():
        names[root(k)].append(name)
    unsure = {root(k): codes for k, codes in ambiguous.items()}
    return dict(joined), alone, {k: sorted(v) for k, v in names.items()}, unsure


def _generic_near_coded(
    generic: Iterable[str], coded: Mapping[str, object]
) -> list[tuple[str, str]]:
    """Every (generic name, coded name) pair that is the same or :func:`near`: shorter
    coded names among the generic names' deletion variants, longer ones of the lengths
    that can be near checked directly (most merges have no generic return: nothing to do)."""
    names = set(generic)
    if not names:
        return []
    pairs = {(g, g) for g in names if g in coded}
    pairs |= {(g, v) for g in names for v in _deletions(g, NEAR_EXTRA) if v in coded and near(g, v)}
    by_length: dict[int, list[str]] = defaultdict(list)
    for g in names:
        by_length[len(g)].append(g)
    for c in coded:
        for extra in range(1, NEAR_EXTRA + 1):
            pairs |= {(g, c) for g in by_length.get(len(c) - extra, ()) if near(g, c)}
    return sorted(pairs)


def resolve_versions(
    ordered: Sequence[CheckedFile],
    members: Sequence[int],
    valid: set[int],
    preferred: Callable[[int], bool],
    outcomes: dict[int, FileOutcome],
    layout: Layout | None,
    notes: dict[int, str],
    facts: Mapping[int, Candidate],
) -> list[int]:
    """Per agency: one file counts; several differing valid files are a conflict unless
    exactly one is preferred. ``members``: every input with an agency (``valid`` ones may
    count, the others already have an error outcome and keep it — an erroneous draft is
    left out either way — unless a preferred file of their agency makes them superseded).
    Returns the valid inputs still in the running; ``notes`` gets, for a file that counts
    while a draft of its agency was left out with errors, a note saying so (which of the
    two is newer is not decided: the user checks)."""

    def data(i: int) -> ReturnData:
        d = ordered[i].data
        assert d is not None
        return d

    groups, alone, names, ambiguous = group_versions(
        members, facts, lambda i: normal_name(agency_name(data(i)))
    )
    keep: list[int] = [i for key, i in alone.items() if i in valid and key not in ambiguous]
    for key in ambiguous.keys() & alone.keys():
        groups[key] = [alone[key]]
    for key, idx in groups.items():
        idx = sorted(idx)
        if len(idx) == 1 and key not in ambiguous:
            keep += [i for i in idx if i in valid]
            continue
        # several versions (or a name that fits several agencies): read them again
        data_of = {i: data(i) for i in idx}
        if key in ambiguous:
            for i in idx:
                if i in valid:
                    outcomes[i] = _ambiguous(ordered, data_of[i], i, ambiguous[key])
            continue
        chosen = [i for i in idx if preferred(i)]
        if len(chosen) == 1:
            win = chosen[0]
            if win in valid:
                keep.append(win)
            for i in idx:
                if i != win:
                    outcomes[i] = _superseded(ordered, data_of, i, win, layout)
            continue
        drafts = [i for i in idx if i not in valid]
        idx = [i for i in idx if i in valid]  # errors keep their own outcome
        if len(idx) < 2:
            keep += idx
            if idx and drafts:
                notes[idx[0]] = (
                    f"同一单位另有文件{_files(data_of, drafts)}有错误未计入，本文件计入；"
                    "如应以那份为准，请改正后重新汇总"
                )
            continue
        near_names = names.get(key, [])
        code = "name-near-duplicate" if len(near_names) > 1 else "version-conflict"
        for i in idx:
            others = [j for j in idx if j != i]
            reason = _conflict_reason(data_of, i, others, near_names, len(chosen) > 1)
            theirs = data_of[others[0]].values
            diffs = differing_cells(layout, theirs, data_of[i].values) if layout else ()
            outcomes[i] = FileOutcome(
                ordered[i], "conflict", reason, base_name(data_of[others[0]].path), diffs,
                reason_code=code,
            )  # fmt: skip
    return sorted(keep)


def _ambiguous(
    ordered: Sequence[CheckedFile], data: ReturnData, i: int, codes: Sequence[str]
) -> FileOutcome:
    shown = "、".join(codes[:5]) + ("等" if len(codes) > 5 else "")
    reason = (
        f"通用模板的报表填写的单位名称“{agency_name(data)}”与多个有编码的单位（{shown}）"
        "的名称相同或几乎相同，无法确定是哪个单位的报表，未汇总；请该单位改用下发给它的模板，"
        "或用 --roster 给出单位名单"
    )
    return FileOutcome(ordered[i], "conflict", reason, reason_code="name-near-duplicate")


def _files(data_of: Mapping[int, ReturnData], idx: Sequence[int]) -> str:
    return "、".join(f"“{base_name(data_of[j].path)}”" for j in idx)


def _conflict_reason(
    data_of: Mapping[int, ReturnData],
    i: int,
    others: Sequence[int],
    near_names: Sequence[str],
    several_preferred: bool,
) -> str:
    d = data_of[i]
    who = agency_name(d) or agency_key(d)
    if several_preferred:
        head = (
            f"--prefer 给出了同一单位（{who}）的多份不同文件（本文件与{_files(data_of, others)}）"
        )
        return head + "，只能指定其中一份；均未汇总"
    if len(near_names) > 1:
        shown = "”“".join(near_names)
        head = (
            f"单位名称“{shown}”几乎相同，视为同一单位：本文件与{_files(data_of, others)}"
            "内容不同，无法确定以哪份为准，均未汇总"
        )
        tail = "；移走一份或用 --prefer 指定；如确为不同单位，请用 --roster 给出单位名单"
    elif not any(differing_cells(d.layout, data_of[j].values, d.values) for j in others):
        head = (
            f"同一单位（{who}）另有文件{_files(data_of, others)}：填报的数据相同，但文件不同"
            "（如重新保存过、改了填报人或电话），无法确定以哪份为准，均未汇总"
        )
        tail = "；核实后移走其余文件，或用 --prefer 指定以哪份为准"
    else:
        head = (
            f"同一单位（{who}）另有内容不同的文件{_files(data_of, others)}，"
            "无法确定以哪份为准（不按文件的保存时间判断），均未汇总"
        )
        tail = "；核实后移走其余文件，或用 --prefer 指定以哪份为准"
    diffs = differing_cells_any(data_of, i, others)
    return f"{head}（{diffs}）{tail}"


def differing_cells_any(data_of: Mapping[int, ReturnData], i: int, others: Sequence[int]) -> str:
    d, o = data_of[i], data_of[others[0]]
    other = base_name(o.path)
    diffs = differing_cells(d.layout, o.values, d.values)
    return f"与“{other}”相比" + describe_differences(diffs, 3, f"本文件→“{other}”")


def _superseded(
    ordered: Sequence[CheckedFile],
    data_of: Mapping[int, ReturnData],
    i: int,
    win: int,
    layout: Layout | None,
) -> FileOutcome:
    won, old = data_of[win], data_of[i]
    win_name = base_name(won.path)
    diffs = differing_cells(layout, won.values, old.values) if layout else ()
    reason = (
        f"同一单位（{agency_name(won) or agency_key(won)}）按 --prefer 以“{win_name}”为准，"
        f"本文件不计入；{describe_differences(diffs)}"
    )
    return FileOutcome(ordered[i], "superseded", reason, win_name, diffs)
