"""``xlreport template``: the locked workbooks a county office sends to its agencies."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from pathlib import Path

from xlreport.batch.prior import Carried, PriorSet, carried, read_prior
from xlreport.errors import UsageError
from xlreport.fsutil import atomic_write_bytes, safe_filename
from xlreport.identity import Identity, template_id_of
from xlreport.mapped_view import MappedView
from xlreport.outputs import check_folder_writable, refuse_existing, refuse_roster
from xlreport.roster import Agency, load_roster
from xlreport.spec.model import Layout
from xlreport.writer import build_workbook
from xlreport.writer.personalise import Personaliser
from xlreport.writer.prefill import cell_comments

PASSWORD_FILE = "模板保护密码（请勿发给填报单位）.txt"
GENERIC_SUFFIX = "填报模板"


@dataclass
class WrittenTemplates:
    layout: Layout
    year: int
    out_dir: Path
    names: list[str] = field(default_factory=list)  # workbooks written (in out_dir), roster order
    password_file: Path | None = None  # None when the password was given
    agencies: int = 0  # 0 for a generic template
    roster_notes: list[str] = field(default_factory=list)  # what reading the roster normalised
    #: --prior: the workbooks pre-filled from last year, and the agencies with no file there
    prefilled: list[Path] = field(default_factory=list)
    prior_missing: list[str] = field(default_factory=list)

    @property
    def paths(self) -> MappedView[Path]:
        """The workbooks written, in roster order (made when asked: 100,000 names cost a
        third of what 100,000 ``Path`` objects do)."""
        return MappedView(self.names, self.out_dir.joinpath)


def template_id(layout: Layout, year: int, county: str, agency_code: str) -> str:
    """Deterministic id of one template: the same inputs always give the same id."""
    return template_id_of(layout.fingerprint, year, county, agency_code)


#: A template's file name at most this many UTF-8 bytes before ``.xlsx``.
NAME_BYTES = 150


def workbook_name(layout: Layout, year: int, who: str, code: str = "") -> str:
    """``2024年度政府信息公开工作年度报告_某单位.xlsx``, safe on Windows; with ``code``
    (names that clash) ``…_某单位_QH001.xlsx``, the code kept however long the name."""
    tail = f"_{safe_filename(code)}" if code else ""
    budget = NAME_BYTES - len(tail.encode("utf-8"))
    return safe_filename(f"{year}年度{layout.title}_{who}", max_len=budget) + tail + ".xlsx"


def agency_identity(
    layout: Layout, year: int, agency: Agency | None, *, county: str = ""
) -> Identity:
    """The identity of ``agency``'s workbook; ``None`` for the generic template."""
    code = agency.code if agency else ""
    return Identity(
        layout_id=layout.id,
        layout_version=layout.version,
        layout_fingerprint=layout.fingerprint,
        year=year,
        agency_code=code,
        agency_name=agency.name if agency else "",
        agency_type=agency.type if agency else "",
        template_id=template_id(layout, year, county, code),
        county=county,
    )


def file_names(layout: Layout, year: int, agencies: list[Agency]) -> list[str]:
    """One Windows-safe name per agency; agencies whose names clash get their code added.

    Names are compared case-insensitively, as Windows does.
    """
    names = [workbook_name(layout, year, a.name) for a in agencies]
    keys = [n.lower() for n in names]  # each compared text made once (the counts share them)
    counts = Counter(keys)
    out: list[str] = []
    taken: set[str] = set()
    for a, n, key in zip(agencies, names, keys, strict=True):
        if counts[key] > 1:
            n = workbook_name(layout, year, a.name, a.code)
            key = n.lower()
        base, i = n, 1
        while key in taken:  # still equal after cleaning: number it
            i += 1
            n = base.removesuffix(".xlsx") + f"_{i}.xlsx"
            key = n.lower()
        taken.add(key)
        out.append(n)
    return out


def write_templates(
    layout: Layout,
    year: int,
    out_dir: str | Path,
    *,
    roster: str | Path | Sequence[Agency] | None = None,
    county: str = "",
    password: str | None = None,
    force: bool = False,
    prior: Sequence[str | Path] = (),
) -> WrittenTemplates:
    """Write one workbook per roster agency (or one generic workbook) into ``out_dir``
    (``year`` already checked: :func:`xlreport.api.template.make_templates` does).

    ``roster``: a roster file (see :func:`xlreport.roster.load_roster`) or agencies already
    loaded. Existing files are never written over unless ``force`` (the roster never);
    the generated password is saved beside ``out_dir`` (:func:`password_file_for`).
    ``prior``: last year's returns or summary (files or folders): each agency's workbook is
    pre-filled from its own (the layout's ``[[carry]]``; a generic template from the one
    file given), with a note on every such cell.
    """
    if password is not None and not password.strip():
        raise UsageError("--password 不能为空", "不指定 --password 时会自动生成密码")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"输出位置 {out} 已存在且不是文件夹", "请用 --out 指定一个文件夹")
    check_folder_writable(out, "模板")
    county = county.strip()
    result = WrittenTemplates(layout, year, out)
    if password is None:
        password = secrets.token_urlsafe(9)
        result.password_file = password_file_for(out)
    if roster is None:
        agencies: list[Agency] = []
    elif isinstance(roster, str | Path):
        agencies = load_roster(roster, notes=result.roster_notes)
    else:
        agencies = list(roster)
    names = (
        file_names(layout, year, agencies)
        if agencies
        else [workbook_name(layout, year, GENERIC_SUFFIX)]
    )
    targets = MappedView(names, out.joinpath)
    extra = [result.password_file] if result.password_file is not None else []
    if isinstance(roster, str | Path):
        refuse_roster(chain(targets, extra), roster, "模板")
    refuse_existing(chain(targets, extra), "模板文件", force=force)
    last = _last_year(prior, year, bool(agencies))
    if agencies:
        maker = Personaliser(layout, password=password)
        for agency, target in zip(agencies, targets, strict=True):
            identity = agency_identity(layout, year, agency, county=county)
            own = last.for_agency(agency.code) if last is not None else None
            if own is not None:
                data = prefilled_workbook(layout, identity, password, carried(layout, own))
                result.prefilled.append(target)
            else:
                data = maker.build(identity)
                if last is not None:
                    result.prior_missing.append(agency.name)
            _write(target, data)
            result.names.append(target.name)
        result.agencies = len(agencies)
    else:
        identity = agency_identity(layout, year, None, county=county)
        own = last.only() if last is not None else None
        if own is not None:
            data = prefilled_workbook(layout, identity, password, carried(layout, own))
            result.prefilled.append(targets[0])
        else:
            data = build_workbook(layout, identity, password=password)
        _write(targets[0], data)
        result.names.append(targets[0].name)
    if result.password_file is not None:
        write_password_file(result.password_file, layout, year, password)
    return result


def _last_year(prior: Sequence[str | Path], year: int, roster: bool) -> PriorSet | None:
    if not prior:
        return None
    last = read_prior(prior, year=year - 1)
    if roster and last.by_key and len(last.summaries) == len(last.by_key):
        raise UsageError(
            "--prior 只给了上年的汇总表：汇总表只能预填通用模板（如本县自己的报表），不能按单位预填",
            "按单位预填请给出各单位上年报送的报表（文件或文件夹）",
        )
    if not roster and last.only() is None:
        raise UsageError(
            f"通用模板只能按一份上年报表预填，但 --prior 中有 {len(last.by_key)} 份",
            "给出花名册（--roster）按单位预填，或只给一份上年报表（或汇总表）",
        )
    return last


def prefilled_workbook(
    layout: Layout, identity: Identity, password: str, items: Sequence[Carried]
) -> bytes:
    """The workbook of ``identity`` with last year's values filled in, each with its note."""
    values: dict[str, Decimal | str] = {c.cell: c.value for c in items if c.fill}
    kept = {cid: v for c in items for cid, v in c.sources}
    hook = cell_comments(layout, [(c.cell, c.note) for c in items], kept)
    return build_workbook(layout, identity, password=password, values=values, after_sheets=hook)


def password_file_for(out_dir: Path) -> Path:
    """Where the password of the templates in ``out_dir`` is kept: beside that folder (which
    gets zipped and sent out), never inside it."""
    folder = out_dir.absolute()
    return folder.parent / f"{folder.name}_{PASSWORD_FILE}"


def write_password_file(path: Path, layout: Layout, year: int, password: str) -> Path:
    note = (
        f"{year}年度政府信息公开工作年度报告模板（{layout.id}）的工作表保护密码：\n"
        f"{password}\n\n此密码用于撤销模板的工作表和工作簿保护，请妥善保管，不要发给填报单位。\n"
    )
    return _write(path, note.encode("utf-8-sig"), private=True)  # a secret: owner only


def _write(path: Path, data: bytes, *, private: bool = False) -> Path:
    try:
        atomic_write_bytes(path, data, private=private)
    except OSError as e:
        raise UsageError(
            f"无法写入 {path}：{e.strerror or e}", "请检查 --out 文件夹是否可写"
        ) from e
    return path
