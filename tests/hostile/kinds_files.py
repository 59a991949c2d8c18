"""Cases that check must refuse as unreadable: not an xlsx, or a crafted package."""

from __future__ import annotations

from hostile import bombs, not_xlsx
from hostile.cases import Ctx, Expect, Spec
from hostile.tamper import Parts
from hostile.zipkit import write_members

U: Expect = "unreadable"
SUSPICIOUS = ("可疑", "压缩", "损坏")


def _noise(c: Ctx) -> bytes:
    return bytes(c.rng.getrandbits(8) for _ in range(65536))


def _main(c: Ctx) -> str:
    return c.anatomy.main.name


def with_macros(parts: Parts) -> Parts:
    """What Excel writes for “启用宏的工作簿”: the macro content type and a VBA project."""
    out = []
    for n, d in parts:
        if n == "[Content_Types].xml":
            d = d.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            ).replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                b"</Types>",
            )
        elif n == "xl/_rels/workbook.xml.rels":
            d = d.replace(
                b"</Relationships>",
                b'<Relationship Id="rId901" Type="http://schemas.microsoft.com/office/2006/'
                b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
            )
        out.append((n, d))
    return [*out, ("xl/vbaProject.bin", not_xlsx.vba_project())]


NOT_XLSX = [
    Spec("empty.xlsx", U, "0 bytes: a transfer that broke", lambda c: b"", says=("空",)),
    Spec("random-bytes.xlsx", U, "64 KB of noise", _noise, says=("无法识别", "损坏")),
    Spec("truncated-zip.xlsx", U, "the good return cut at 60 %",
         lambda c: bombs.truncated(c.good), says=("损坏", "不完整")),
    Spec("empty-zip.xlsx", U, "a zip with no entries", lambda c: bombs.empty_zip(),
         says=("没有", "损坏")),
    Spec("zip-no-workbook.xlsx", U, "a zip of a txt and a jpg",
         lambda c: not_xlsx.zip_without_workbook(c.rng), says=("压缩包",)),
    Spec("encrypted.xlsx", U, "OLE file with EncryptionInfo/EncryptedPackage (用密码进行加密)",
         lambda c: not_xlsx.encrypted_xlsx(c.rng), says=("密码", "加密")),
    Spec("xls-renamed.xlsx", U, "OLE file with a BIFF8 Workbook stream",
         lambda c: not_xlsx.old_xls(c.rng), says=(".xls", "97-2003")),
    Spec("wps-et-renamed.xlsx", U, "OLE file like an .xls plus Kingsoft markers (ETExtData, "
         "KSOProductBuildVer): only the markers or the .et suffix tell it from an .xls",
         lambda c: not_xlsx.wps_et(c.rng), says=(".et", "WPS", ".xls")),
    Spec("wps.et", U, "the same WPS file under its own suffix",
         lambda c: not_xlsx.wps_et(c.rng), says=(".et", "WPS")),
    Spec("xlsb-renamed.xlsx", U, "a binary workbook (xl/workbook.bin)",
         lambda c: not_xlsx.xlsb(), says=(".xlsb", "二进制")),
    Spec("ods-renamed.xlsx", U, "OpenDocument spreadsheet", lambda c: not_xlsx.ods(),
         says=(".ods",)),
    Spec("docx-renamed.xlsx", U, "a Word document", lambda c: not_xlsx.docx(), says=("Word",)),
    Spec("csv-renamed.xlsx", U, "CSV in GBK as Excel exports it", lambda c: not_xlsx.csv_gbk(),
         says=("文本", "CSV")),
    Spec("txt-renamed.xlsx", U, "Excel's Unicode text (UTF-16, tabs)",
         lambda c: not_xlsx.txt_utf16(), says=("文本", "TXT")),
    Spec("html-renamed.xlsx", U, "an HTML table exported by a web system",
         lambda c: not_xlsx.html_table(), says=("HTML", "网页")),
    Spec("xml2003-renamed.xlsx", U, "Excel 2003 XML spreadsheet", lambda c: not_xlsx.xml_2003(),
         says=("2003",)),
    Spec("pdf-renamed.xlsx", U, "a PDF", lambda c: not_xlsx.pdf(), says=("PDF",)),
    Spec("png-renamed.xlsx", U, "a screenshot", lambda c: not_xlsx.png(), says=("图片",)),
    Spec("~$lock-file.xlsx", U, "Excel's owner file of an open workbook (165 bytes); merge "
         "skips it with the reason", lambda c: not_xlsx.excel_lock_file(), says=("锁定",),
         merge="skipped"),
    Spec("far-cell-XFD1048576.xlsx", U, "a 5 KB unrelated workbook with a cell at XFD1048576: "
         "not a return, so it cannot be read as one (exit 2)",
         lambda c: bombs.far_cell_workbook(), codes=("not-xlreport-workbook",), says=("模板",)),
]  # fmt: skip

CRAFTED = [
    Spec("macro.xlsm", U, "the good return with a VBA project (xlsm)",
         lambda c: write_members(with_macros(c.parts)), says=("宏",)),
    Spec("zip-bomb.xlsx", U, "a table sheet of 1 GiB (one long text) deflated to ~1 MB; sizes "
         "declared honestly", lambda c: bombs.zip_bomb(c.parts, _main(c), lie=False),
         says=SUSPICIOUS),
    Spec("zip-bomb-lying-size.xlsx", U, "the same bomb, its size headers claiming the normal "
         "sheet size", lambda c: bombs.zip_bomb(c.parts, _main(c), lie=True), says=SUSPICIOUS),
    Spec("lying-size-header.xlsx", U, "an ordinary sheet whose headers claim a tenth of its "
         "size", lambda c: bombs.lying_size(c.parts, _main(c)), says=SUSPICIOUS),
    Spec("bad-crc.xlsx", U, "a sheet whose CRC does not match",
         lambda c: bombs.bad_crc(c.parts, _main(c)), says=("损坏",)),
    Spec("zip-encrypted-member.xlsx", U, "a member flagged as zip-encrypted",
         lambda c: bombs.encrypted_member(c.parts, _main(c)), says=("加密", "不支持", "损坏")),
    Spec("too-many-members.xlsx", U, "60,000 extra zip members",
         lambda c: bombs.too_many_members(c.parts), says=("部件", "可疑")),
    Spec("broken-xml.xlsx", U, "a sheet cut mid-element",
         lambda c: bombs.broken_xml(c.parts, _main(c)), says=("损坏", "XML")),
    Spec("gb18030-sheet.xlsx", U, "a table sheet declaring GB18030 (expat cannot decode it)",
         lambda c: write_members(bombs.undecodable_encoding(c.parts, _main(c))),
         says=("字符编码",)),
    Spec("deep-nesting.xlsx", U, "100,000 nested elements in a sheet",
         lambda c: write_members(bombs.deep_nesting(c.parts, _main(c))), says=("嵌套", "可疑")),
    Spec("billion-laughs-sst.xlsx", U, "entity expansion in the shared strings",
         lambda c: write_members(bombs.billion_laughs_sst(c.parts)), says=("实体", "DTD")),
    Spec("billion-laughs-sheet.xlsx", U, "entity expansion in a table sheet",
         lambda c: write_members(bombs.billion_laughs_sheet(c.parts, _main(c))),
         says=("实体", "DTD")),
    Spec("billion-laughs-workbook.xlsx", U, "entity expansion in the workbook part",
         lambda c: write_members(bombs.billion_laughs_workbook(c.parts)), says=("实体", "DTD")),
    Spec("external-entity.xlsx", U, "an external entity pointing at /etc/passwd",
         lambda c: write_members(bombs.external_entity(c.parts)), says=("实体", "DTD")),
    Spec("many-shared-strings.xlsx", U, "2,000,000 shared strings",
         lambda c: write_members(bombs.many_shared_strings(c.parts)),
         says=("文字条目", "可疑", "超过")),
    Spec("million-empty-rows.xlsx", U, "1,000,000 empty rows after the table",
         lambda c: write_members(bombs.million_empty_rows(c.parts, _main(c))),
         says=("行数", "超过", "可疑")),
]  # fmt: skip
