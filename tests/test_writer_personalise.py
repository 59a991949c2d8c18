"""The fast path: one token workbook, substituted per agency, equals building directly."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest
from writer_helpers import PASSWORD, identity, members

from xlreport.spec import builtin_layouts
from xlreport.writer import build_workbook
from xlreport.writer.personalise import Personaliser
from xlreport.writer.zippack import pack, unzip

AGENCIES = [
    ("QH004", "清河县科技和工业信息化局", "部门"),
    ("QH101", "清河县城关街道办事处", "街道"),
    ("QH102", "清河县柳林镇人民政府", "乡镇"),
    ("Q&1", 'A&B<局>"甲"', "其他"),  # every character XML or a formula string must escape
    ("QH200", "名字很长" * 15, ""),  # longer than the page header keeps
    ("QH201", "x_x0041_y", "部门"),  # looks like an xlsxwriter escape: built directly
    ("1", "清河县某局", "部门"),  # code equal to the layout version string: built directly
    ("QH202", "其他", "部门"),  # name equal to a column label: built directly
    ("QH203", "QH203", "部门"),  # name equal to code: built directly
]


@pytest.mark.parametrize("layout_id", sorted(builtin_layouts()))
def test_personalised_equals_direct_build(layout_id: str) -> None:
    layout = builtin_layouts()[layout_id]
    maker = Personaliser(layout, password=PASSWORD)
    for code, name, kind in AGENCIES:
        who = replace(identity(layout, code=code, name=name), agency_type=kind)
        fast = maker.build(who)
        direct = build_workbook(layout, who, password=PASSWORD)
        if fast != direct:  # show which part differs
            a, b = members(fast), members(direct)
            assert [n for n in a if a[n] != b.get(n)] == [], (code, name)
        assert fast == direct, (code, name)
    assert maker.fast == 5 and maker.direct == 4  # the fast path really ran


def test_fast_path_output_is_a_valid_zip_with_the_agency_in_it() -> None:
    layout = builtin_layouts()["gov-2021"]
    maker = Personaliser(layout, password=PASSWORD)
    data = maker.build(identity(layout, code="QH009", name="清河县市场监督管理局"))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        sst = zf.read("xl/sharedStrings.xml").decode()
        wbxml = zf.read("xl/workbook.xml").decode()
    assert "清河县市场监督管理局" in sst and "XLRTOK" not in sst
    assert '"QH009"' in wbxml and "XLRTOK" not in wbxml
    assert maker.fast == 1


def test_generic_identity_is_built_directly() -> None:
    layout = builtin_layouts()["gov-2021"]
    maker = Personaliser(layout, password=PASSWORD)
    who = identity(layout, code="", name="")
    assert maker.build(who) == build_workbook(layout, who, password=PASSWORD)
    assert maker.direct == 1 and maker.fast == 0


def test_pack_roundtrip_is_stable() -> None:
    layout = builtin_layouts()["gov-2021"]
    data = build_workbook(layout, identity(layout), password=PASSWORD)
    assert pack(unzip(data)) == data
