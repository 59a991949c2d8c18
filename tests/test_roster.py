"""Reading the county's roster: CSV in UTF-8 (with or without BOM) or GBK, or .xlsx."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from xlreport.errors import UsageError
from xlreport.roster import Agency, load_roster

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "roster.csv"
TEXT = "单位编码,单位名称,单位类型\n001, 清河县人民政府办公室 ,部门\n\n,,\n002,清河县柳林镇人民政府,乡镇\n003,清河县科技和工业信息化局,\n"
EXPECTED = [
    Agency("001", "清河县人民政府办公室", "部门"),
    Agency("002", "清河县柳林镇人民政府", "乡镇"),
    Agency("003", "清河县科技和工业信息化局", ""),
]


@pytest.mark.parametrize(
    "encoded",
    [TEXT.encode("utf-8"), b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT.encode("gbk")],
    ids=["utf8", "utf8-bom", "gbk"],
)
def test_csv_encodings(tmp_path: Path, encoded: bytes) -> None:
    p = tmp_path / "名单.csv"
    p.write_bytes(encoded.replace(b"\n", b"\r\n"))
    assert load_roster(p) == EXPECTED


def test_xlsx_first_sheet_with_numeric_codes(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位名称", "单位编码", "备注"])  # other column order and an extra column
    ws.append(["清河县教育局", 101, "x"])
    ws.append([None, None, None])
    ws.append([" 清河县财政局", "QH006 ", None])
    wb.create_sheet("其他").append(["单位编码", "单位名称"])
    p = tmp_path / "名单.xlsx"
    wb.save(p)
    assert load_roster(p) == [
        Agency("101", "清河县教育局", ""),
        Agency("QH006", "清河县财政局", ""),
    ]


def test_sample_roster() -> None:
    agencies = load_roster(SAMPLE)
    assert len(agencies) == 12
    assert any(a.name == "清河县科技和工业信息化局" for a in agencies)
    assert {a.type for a in agencies} == {"部门", "乡镇", "街道"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("编码,单位名称\n1,甲\n", "第 1 行（表头）缺少“单位编码”列"),
        ("单位编码,名称\n1,甲\n", "第 1 行（表头）缺少“单位名称”列"),
        ("单位编码,单位名称\n1,甲\n2,乙\n1,丙\n", "第 4 行：单位编码“1”与第 2 行重复"),
        ("单位编码,单位名称\n1,甲\n2, \n", "第 3 行：单位名称为空"),
        ("单位编码,单位名称\n\n1,甲\n,乙\n", "第 4 行：单位编码为空"),
        ("单位编码,单位名称,单位类型\n1,甲,部门\n2,乙,社区\n", "第 3 行：单位类型“社区”无法识别"),
        ("单位编码,单位名称\n", "只有表头"),
        ('单位编码,单位名称\n1,甲\n"A,1",乙\n', "第 3 行：单位编码“A,1”含有逗号"),
        ("单位编码,单位名称\n1,甲\nA，1,乙\n", "第 3 行：单位编码“A,1”含有逗号"),  # full width
        ("\n\n", "是空的"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    p = tmp_path / "roster.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as e:
        load_roster(p)
    assert "roster.csv" in str(e.value) and expected in str(e.value)


def test_unreadable_inputs(tmp_path: Path) -> None:
    for name, data, expected in [
        ("a.xls", b"\xd0\xcf\x11\xe0", "旧格式"),
        ("b.csv", "单位编码".encode("utf-16"), "UTF-16"),
        ("c.xlsx", b"not a zip", "不是可读取的 .xlsx"),
        ("d.csv", b"\x80\xff\x80", "编码无法识别"),
    ]:
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(UsageError, match=expected):
            load_roster(p)
    with pytest.raises(UsageError, match="无法读取名单文件"):
        load_roster(tmp_path / "missing.csv")
