"""Published tables → the cells of a compiled layout, by label, never by position alone.

:func:`detect` scores every candidate layout by the labels the document's tables carry
(statutory labels found, labels of other layouts found, labels missing) — never by the
year. :func:`extract` then walks the rows: a caption row chooses the table, header rows
give each column its label path (true columns from the spans where the document has
them; where it has not — text — the header labels must be exactly the layout's, and the
values of a row must be exactly as many as its columns), a data row is matched by its
(last) row label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xlreport.importer.grid import Document, GCell, GRow
from xlreport.importer.issues import ImportIssue
from xlreport.importer.labels import canonical, norm
from xlreport.importer.values import digit_run, looks_like_value, parse_value
from xlreport.spec.model import Axis, Layout, Sheet, Table


@dataclass(frozen=True)
class _TableInfo:
    sheet: Sheet
    table: Table
    caption: str
    corner: str
    col_paths: tuple[tuple[str, ...], ...]  # normalised, per column
    row_paths: tuple[tuple[str, ...], ...]
    header_vocab: frozenset[str]
    leaf_rows: dict[str, list[int]]  # normalised leaf label → row indexes
    groups: frozenset[str]  # normalised row path elements that are not leaves


def _info(sheet: Sheet, t: Table) -> _TableInfo:
    cols = tuple(tuple(norm(x) for x in c.path) for c in t.columns)
    rows = tuple(tuple(norm(x) for x in r.path) for r in t.rows)
    leaf: dict[str, list[int]] = {}
    for i, p in enumerate(rows):
        if p:
            leaf.setdefault(p[-1], []).append(i)
    groups = frozenset(x for p in rows for x in p[:-1]) - frozenset(leaf)
    vocab = frozenset(x for p in cols for x in p) | {norm(t.corner)} - {""}
    return _TableInfo(sheet, t, norm(t.caption), norm(t.corner), cols, rows, vocab, leaf, groups)


def layout_labels(layout: Layout) -> frozenset[str]:
    out: set[str] = set()
    for s in layout.sheets:
        for t in s.tables:
            i = _info(s, t)
            out |= {i.caption} | set(i.header_vocab)
            out |= {x for p in i.row_paths for x in p}
    return frozenset(out - {""})


def statutory_texts(layout: Layout) -> dict[str, str]:
    """Normalised label → the label as the layout prints it."""
    out: dict[str, str] = {}
    for s in layout.sheets:
        for t in s.tables:
            for text in (t.caption, t.corner):
                out.setdefault(norm(text), text)
            for a in (*t.rows, *t.columns):
                for x in a.path:
                    out.setdefault(norm(x), x)
    return out


@dataclass
class Detection:
    layout: Layout
    matched: int
    foreign: tuple[str, ...]
    missing: tuple[str, ...]
    score: tuple[int, int]


_TRAILING_NUMBERS = re.compile(r"[\d\s.,，、+-]+$")


def doc_labels(doc: Document) -> set[str]:
    found: set[str] = set()
    for t in doc.tables:
        for row in t.rows:
            for c in row.cells:
                if c.text and not looks_like_value(c.text):
                    found.add(canonical(c.text)[0])
                    if not t.geometric:  # a flattened row: the label before its numbers
                        found.add(canonical(_TRAILING_NUMBERS.sub("", c.text))[0])
    return found


def detect(doc: Document, layouts: Sequence[Layout]) -> list[Detection]:
    """Candidate layouts, best first."""
    found = doc_labels(doc)
    every = {lay.id: layout_labels(lay) for lay in layouts}
    union = frozenset().union(*every.values()) if every else frozenset()
    out = []
    for lay in layouts:
        mine = every[lay.id]
        matched = len(mine & found)
        foreign = tuple(sorted((union - mine) & found))
        missing = tuple(sorted(mine - found))
        out.append(
            Detection(lay, matched, foreign, missing, (matched - 2 * len(foreign), -len(missing)))
        )
    out.sort(key=lambda d: d.score, reverse=True)
    return out


@dataclass
class Extracted:
    published: dict[str, str] = field(default_factory=dict)  # cell id → text as published
    values: dict[str, Decimal] = field(default_factory=dict)
    issues: list[ImportIssue] = field(default_factory=list)
    rows_seen: set[tuple[str, str]] = field(default_factory=set)  # (table, row key)
    notes: list[str] = field(default_factory=list)


def _cell_id(t: Table, row: Axis, col: Axis) -> str:
    return f"{t.key}.{row.key}.{col.key}"


class _Walker:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.infos = [_info(s, t) for s in layout.sheets for t in s.tables]
        self.captions = {i.caption: i for i in self.infos if i.caption}
        self.out = Extracted()
        self.cur: _TableInfo | None = None
        self.header: list[GRow] = []
        self.geometric = True
        self.colmap: dict[int, int] | None = None  # x → column index (geometric)
        self.col_ok = False
        #: a PDF's text layer: a line break in a cell is where a narrow cell wrapped
        self.wrapped = False
        self.variant_labels: set[str] = set()
        self.verbatim = statutory_texts(layout)

    # --- helpers ---------------------------------------------------------------
    def issue(self, code: str, msg: str, info: _TableInfo | None = None, **kw: str) -> None:
        sheet = info.sheet.name if info is not None else ""
        self.out.issues.append(ImportIssue(code, msg, sheet=sheet, **kw))  # type: ignore[arg-type]

    def _labels(self, row: GRow) -> list[tuple[int, GCell, str]]:
        out = []
        for k, c in enumerate(row.cells):
            if c.text and not looks_like_value(c.text):
                lab, typo = canonical(c.text)
                if typo:
                    self.variant_labels.add(f"“{c.text.strip()}”→“{self.verbatim.get(lab, lab)}”")
                out.append((k, c, lab))
        return out

    # --- headers ---------------------------------------------------------------
    def _is_header(self, labels: list[str]) -> _TableInfo | None:
        if not labels:
            return None
        cands = [
            i
            for i in self.infos
            if all(x in i.header_vocab for x in labels) and any(x != i.corner for x in labels)
        ]
        if not cands:
            return None
        if self.cur is not None and self.cur in cands:
            return self.cur
        if self.cur is not None:
            later = [i for i in cands if self.infos.index(i) > self.infos.index(self.cur)]
            if later:
                return later[0]
        return cands[0]

    def _columns(self) -> None:
        """Header rows seen → the column of every x (geometric) or the check of the
        header labels (text)."""
        info = self.cur
        assert info is not None
        self.colmap, self.col_ok = None, False
        leaves = [p[-1] for p in info.col_paths]
        if not self.geometric:
            found = [lab for r in self.header for _k, _c, lab in self._labels(r) if lab in leaves]
            if Counter(found) == Counter(leaves):
                self.col_ok = True
            else:
                self.issue(
                    "import-layout-unknown",
                    f"表头的列标签（{'、'.join(found) or '无'}）与法定格式的列（{'、'.join(leaves)}）不一致，此表未导入",
                    info,
                )
            return
        # geometric: the label path above every x
        above: dict[int, list[tuple[str, int]]] = {}
        for r in self.header:
            for c, x in zip(r.cells, r.xs, strict=False):
                if not c.text:
                    continue
                lab = canonical(c.text)[0]
                for dx in range(c.colspan):
                    above.setdefault(x + dx, []).append((lab, x))
        colmap: dict[int, int] = {}
        used: set[int] = set()
        for ci, path in enumerate(info.col_paths):
            xs = sorted(
                x
                for x, labs in above.items()
                if labs
                and labs[-1][0] == path[-1]
                and all(any(a == p for a, _ in labs) for p in path)
            )
            starts = sorted({labs[-1][1] for x, labs in above.items() if x in xs})
            free = [s for s in starts if s not in used]
            if not free:
                continue
            used.add(free[0])
            for x in xs:
                if above[x][-1][1] == free[0]:
                    colmap[x] = ci
        if len(set(colmap.values())) == len(info.col_paths):
            self.colmap, self.col_ok = colmap, True
        else:
            missing = [
                "/".join(info.table.columns[i].path)
                for i in range(len(info.col_paths))
                if i not in set(colmap.values())
            ]
            self.issue(
                "import-layout-unknown",
                f"表头中找不到这些列：{'、'.join(missing)}，此表未导入",
                info,
            )

    # --- rows --------------------------------------------------------------------
    def _find_row(self, labels: list[str]) -> tuple[_TableInfo, int] | str | None:
        """The (table, row index) a row's labels name; "group" for a group label with
        values; None when unknown."""
        if not labels:
            if self.cur is not None:
                empty = [i for i, p in enumerate(self.cur.row_paths) if not p]
                if len(empty) == 1:
                    return self.cur, empty[0]
            return None
        order = [self.cur] if self.cur is not None else []
        order += [i for i in self.infos if i is not self.cur]
        for lab in reversed(labels):
            for info in order:
                hits = info.leaf_rows.get(lab, [])
                if len(hits) > 1:
                    hits = [h for h in hits if all(x in info.row_paths[h] for x in labels)]
                if len(hits) == 1:
                    return info, hits[0]
            for info in order:
                if lab in info.groups:
                    return "group"
        # a label cut by a page break (PDF): the start of exactly one row label
        lab = labels[-1]
        if len(lab) >= 4:
            hits2 = [
                (info, i)
                for info in order
                for leaf, rows in info.leaf_rows.items()
                if leaf.startswith(lab) and leaf != lab
                for i in rows
            ]
            if len(hits2) == 1:
                info, i = hits2[0]
                self.variant_labels.add(f"“{lab}”（标签被截断）→“{info.table.rows[i].path[-1]}”")
                return hits2[0]
        return None

    def row(self, row: GRow) -> None:
        labs = self._labels(row)
        texts = [lab for _k, _c, lab in labs]
        cap = next((self.captions[x] for x in texts if x in self.captions), None)
        if cap is not None:
            self.cur, self.header, self.colmap, self.col_ok = cap, [], None, False
            return
        values_after = labs[-1][0] + 1 if labs else 0
        values = [
            (c, row.xs[k] if row.xs else -1) for k, c in enumerate(row.cells) if k >= values_after
        ]
        has_values = any(c.text.strip() for c, _ in values)
        head = self._is_header(texts)
        if head is not None and not (has_values and self.col_ok and head is self.cur):
            if head is not self.cur or self.col_ok:
                self.header = []
            self.cur = head
            self.header.append(row)
            self.col_ok, self.colmap = False, None
            return
        if self.cur is not None and self.header and not self.col_ok and self.colmap is None:
            self._columns()
            self.header = [] if self.col_ok else self.header
        # a flattened row: label and digits in one cell
        if labs and not values:
            _k, c, lab = labs[-1]
            split = self._split_flat(lab, c.text)
            if split is not None:
                texts[-1] = split[0]
                values = [(GCell(tok), -1) for tok in split[1]]
                has_values = True
                return self._data(texts, values, flat=True)
        if not has_values and not labs:
            return
        self._data(texts, values, flat=False)

    def _split_flat(self, lab: str, raw: str) -> tuple[str, list[str]] | None:
        for info in [self.cur, *self.infos] if self.cur else self.infos:
            for leaf in info.leaf_rows:
                if leaf and lab.startswith(leaf) and len(lab) > len(leaf):
                    rest = raw.strip()
                    # the rest of the original text after the label (its spaces, quotes…)
                    ends = [i for i in range(len(rest) + 1) if norm(rest[:i]) == leaf]
                    tail = rest[ends[-1] :].split() if ends else []
                    if tail and all(looks_like_value(t) for t in tail):
                        return leaf, tail
        return None

    def _data(self, texts: list[str], values: list[tuple[GCell, int]], *, flat: bool) -> None:
        found = self._find_row(texts)
        label = self.verbatim.get(texts[-1], texts[-1]) if texts else ""
        if found == "group":
            if any(c.text.strip() for c, _ in values):
                shown = " ".join(c.text.strip() for c, _ in values)
                info = self.cur
                self.issue(
                    "import-group-row",
                    f"“{label}”在发布的表格中只有一行（{shown}），法定格式中它分为几个细项：细项留空，未拆分",
                    info,
                    row_label=label,
                    found=shown,
                )
                self.out.notes.append(f"“{label}”印成一行")
            return
        if found is None:
            if any(c.text.strip() for c, _ in values) and self.cur is not None and texts:
                self.issue(
                    "import-row-unknown",
                    f"发布的表格中的行“{'/'.join(texts)}”对应不到法定格式的任何一行，未导入",
                    self.cur,
                    row_label="/".join(texts),
                    found=" ".join(c.text.strip() for c, _ in values),
                )
            return
        assert not isinstance(found, str)
        info, ri = found
        if info is not self.cur:
            same_cols = self.cur is not None and self.cur.col_paths == info.col_paths
            if not same_cols:
                if self.cur is None or not self.col_ok:
                    self.cur = info
                    if self.geometric:
                        self.issue(
                            "import-row-unknown",
                            f"“{label}”前没有可识别的表头，此行未导入",
                            info,
                            row_label=label,
                        )
                        return
                    self.col_ok, self.colmap = False, None  # no header of this table seen
                else:
                    self.issue(
                        "import-row-unknown",
                        f"“{label}”不属于当前的表（{self.cur.caption or self.cur.sheet.title}），未导入",
                        self.cur,
                        row_label=label,
                    )
                    return
            self.cur = info
        t = info.table
        axis = t.rows[ri]
        row_label = "/".join(axis.path) or info.sheet.title
        key = (t.key, axis.key)
        ncols = len(t.columns)
        if not self.col_ok and not flat:
            self.issue(
                "import-row-unknown",
                f"“{row_label}”所在的表没有可识别的表头，此行未导入",
                info,
                row_label=row_label,
            )
            return
        texts_by_col: dict[int, str] = {}
        shown = " ".join(c.text.strip() for c, _ in values)
        if flat or not self.geometric or self.colmap is None:
            vals = [c.text for c, _ in values]
            if flat and not self.col_ok and len(vals) == ncols:
                self.issue(
                    "import-row-cells",
                    f"“{row_label}”此行未导入：单元格边界已丢失（{shown}），且没有可核对的表头，"
                    "无法确认各数字属于哪一列",
                    info,
                    row_label=row_label,
                    found=shown,
                )
                self.out.rows_seen.add(key)
                return
            if len(vals) != ncols:
                run = any(digit_run(v) for v in vals) and len(vals) < ncols
                code = "import-digits-run" if run else "import-row-cells"
                why = (
                    f"数字连在一起（{shown}），无法确定单元格边界：不拆分、不猜测"
                    if run
                    else f"有 {len(vals)} 个数值，表头有 {ncols} 列（{shown}）"
                )
                self.issue(
                    code, f"“{row_label}”此行未导入：{why}", info, row_label=row_label, found=shown
                )
                self.out.rows_seen.add(key)
                return
            texts_by_col = dict(enumerate(vals))
        else:
            for c, x in values:
                cols = {self.colmap[x + d] for d in range(c.colspan) if x + d in self.colmap}
                if not cols:
                    if c.text.strip():
                        self.issue(
                            "import-row-cells",
                            f"“{row_label}”有一个数值（{c.text.strip()}）不在任何列下，此行未导入",
                            info,
                            row_label=row_label,
                            found=shown,
                        )
                        self.out.rows_seen.add(key)
                        return
                    continue
                if len(cols) > 1:
                    run = digit_run(c.text)
                    code = "import-digits-run" if run else "import-value-merged"
                    self.issue(
                        code,
                        f"“{row_label}”此行未导入：一个单元格（{c.text.strip()}）跨了 {len(cols)} 列，无法确定各列的数字",
                        info,
                        row_label=row_label,
                        found=c.text.strip(),
                    )
                    self.out.rows_seen.add(key)
                    return
                (ci,) = cols
                texts_by_col[ci] = c.text
        if key in self.out.rows_seen:
            before = {
                ci: self.out.published.get(_cell_id(t, axis, t.columns[ci]), "")
                for ci in range(ncols)
            }
            if all(before[ci].strip() == texts_by_col.get(ci, "").strip() for ci in range(ncols)):
                return
            self.issue(
                "import-row-duplicate",
                f"“{row_label}”在发布的表格中出现了两次且数字不同",
                info,
                row_label=row_label,
            )
            for ci in range(ncols):
                cid = _cell_id(t, axis, t.columns[ci])
                self.out.published.pop(cid, None)
                self.out.values.pop(cid, None)
            return
        self.out.rows_seen.add(key)
        for ci, col in enumerate(t.columns):
            cid = _cell_id(t, axis, col)
            if cid not in self.layout.cells:
                continue
            self.out.published[cid] = texts_by_col.get(ci, "").strip()

    def finish(self) -> Extracted:
        self._values()
        for info in self.infos:
            for axis in info.table.rows:
                if (info.table.key, axis.key) not in self.out.rows_seen:
                    first = _cell_id(info.table, axis, info.table.columns[0])
                    self.out.issues.append(
                        ImportIssue(
                            "import-row-missing",
                            f"发布的表格中没有“{'/'.join(axis.path) or info.sheet.title}”这一行，导入的报表中此行留空",
                            sheet=info.sheet.name,
                            cell=first,
                            row_label="/".join(axis.path),
                        )
                    )
        return self.out

    def _values(self) -> None:
        layout = self.layout
        for cid, text in self.out.published.items():
            cell = layout.cells[cid]
            p = parse_value(text, cell.type, wrapped=self.wrapped)
            if p.value is not None:
                self.out.values[cid] = p.value
            if p.code is not None:
                msg = {
                    "import-blank": "发布的表格中此格为空白，导入后保留空白（不按 0 计）",
                    "import-value-unit": f"“{text}”：{p.note}",
                    "import-value-unit-mismatch": f"{p.note}，未导入",
                    "import-value-not-number": f"{p.note}，未导入",
                }[p.code]
                self.out.issues.append(
                    ImportIssue(
                        p.code,
                        msg,
                        sheet=layout.sheet(cell.sheet).name,
                        cell=cid,
                        row_label=cell.row_label,
                        col_label=cell.col_label,
                        found=text,
                    )
                )


def extract(doc: Document, layout: Layout) -> Extracted:
    w = _Walker(layout)
    w.wrapped = doc.kind == "pdf"
    for t in doc.tables:
        w.geometric = t.geometric
        for row in t.rows:
            w.row(row)
        if w.cur is not None and w.header and not w.col_ok:
            w._columns()
    out = w.finish()
    if w.variant_labels:
        out.issues.append(
            ImportIssue(
                "import-label-variant",
                "按规范标签对应了这些有错别字的标签：" + "；".join(sorted(w.variant_labels)),
            )
        )
    return out
