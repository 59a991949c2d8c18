"""A return as Excel or LibreOffice would save it: real LibreOffice, or its XML mimicked.

- :func:`excel_like`: what Excel 2016+ writes on save — no ``fullCalcOnLoad``, its calcId
  and fileVersion, the x14ac row attributes, a calcChain part, "Microsoft Excel" as the
  application; shared strings and cached values as the writer already has them.
- :func:`libreoffice_like`: what LibreOffice 7.4 writes (checked against a real re-save):
  ``t="n"`` on numbers, ``<f aca="false">``, the very hidden sheet made plain hidden, the
  workbook structure protection dropped, ``true`` in the sheet protection, its calcPr.
- :func:`libreoffice_convert`: the real thing, ``soffice --convert-to xlsx`` with a private
  profile, in batches of at most 200 files (a larger batch silently stops at 247).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

Parts = list[tuple[str, bytes]]
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*><f[ >]')


def _app(parts: Parts, application: bytes, version: bytes) -> Parts:
    out = []
    for name, data in parts:
        if name == "docProps/app.xml":
            data = re.sub(
                rb"<Application>[^<]*</Application>",
                b"<Application>" + application + b"</Application>",
                data,
            )
            data = re.sub(
                rb"<AppVersion>[^<]*</AppVersion>",
                b"<AppVersion>" + version + b"</AppVersion>",
                data,
            )
        out.append((name, data))
    return out


def excel_like(parts: Parts) -> Parts:
    out: Parts = []
    chain: list[bytes] = []
    sheet_no = 0
    for name, data in parts:
        if name == "xl/workbook.xml":
            data = re.sub(rb"<calcPr[^>]*/>", b'<calcPr calcId="191029"/>', data)
            data = re.sub(
                rb"<fileVersion[^>]*/>",
                b'<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/>',
                data,
            )
        elif name.startswith("xl/worksheets/sheet"):
            sheet_no += 1
            data = data.replace(
                b'<worksheet xmlns="' + _MAIN + b'"',
                b'<worksheet xmlns="' + _MAIN + b'" xmlns:mc="http://schemas.openxmlformats.org/'
                b'markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.'
                b'microsoft.com/office/spreadsheetml/2009/9/ac"',
                1,
            )
            data = re.sub(rb"(<row [^>]*?)(/?)>", rb'\1 x14ac:dyDescent="0.25"\2>', data)
            for i, m in enumerate(_FORMULA_CELL.finditer(data)):
                chain.append(
                    b'<c r="'
                    + m.group(1)
                    + b'"'
                    + (b' i="%d"' % sheet_no if i == 0 else b"")
                    + b"/>"
                )
        elif name == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxml'
                b'formats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
            )
        elif name == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument'
                b'/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>',
            )
        out.append((name, data))
    calc = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<calcChain xmlns="'
        + _MAIN
        + b'">'
        + b"".join(chain)
        + b"</calcChain>"
    )
    out.append(("xl/calcChain.xml", calc))
    return _app(out, b"Microsoft Excel", b"16.0300")


def libreoffice_like(parts: Parts) -> Parts:
    out: Parts = []
    for name, data in parts:
        if name == "xl/workbook.xml":
            data = re.sub(
                rb"<calcPr[^>]*/>",
                b'<calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.0001"/>',
                data,
            )
            data = re.sub(rb"<workbookProtection[^>]*/>", b"<workbookProtection/>", data)
            data = data.replace(b'state="veryHidden"', b'state="hidden"')
            data = re.sub(rb"<fileVersion[^>]*/>", b'<fileVersion appName="Calc"/>', data)
        elif name.startswith("xl/worksheets/sheet"):
            data = re.sub(rb'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?)>', rb'\1 t="n">', data)
            data = data.replace(b"<f>", b'<f aca="false">')
            data = re.sub(rb"<sheetProtection[^>]*/>", _lo_protection, data)
        out.append((name, data))
    return _app(out, b"LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2", b"15.0000")


def _lo_protection(m: re.Match[bytes]) -> bytes:
    tag = m.group(0).replace(b'="1"', b'="true"')
    return re.sub(rb'password="([^"]*)"', lambda p: b'password="' + p.group(1).lower() + b'"', tag)


def libreoffice_available() -> bool:
    return Path(SOFFICE).exists()


def libreoffice_convert(files: list[Path], out_dir: Path, profile: Path) -> list[Path]:
    """Re-save ``files`` as xlsx with real LibreOffice; the converted paths, in order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    done: list[Path] = []
    for i in range(0, len(files), 200):
        batch = files[i : i + 200]
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{profile.resolve()}", "--headless",
             "--norestore", "--convert-to", "xlsx", "--outdir", str(out_dir), *map(str, batch)],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        for f in batch:
            target = out_dir / (f.stem + ".xlsx")
            if not target.is_file():
                raise RuntimeError(f"LibreOffice did not convert {f} (batch of {len(batch)})")
            done.append(target)
    return done
