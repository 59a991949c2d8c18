"""Drive LibreOffice Calc headless through UNO: open xlsx files, type into cells, save as xlsx.

Run by Debian's ``/usr/bin/python3`` (the interpreter that can ``import uno``), never imported
by the project's own Python. Usage::

    /usr/bin/python3 uno_fill.py JOBS.json

JOBS.json::

    {"soffice": "/usr/bin/soffice", "timeout": 300, "workdir": null, "locale": "zh-CN",
     "jobs": [{"src": "/abs/in.xlsx", "dst": "/abs/out.xlsx",
               "entries": [["三、依申请公开", "D6", "12"], ...],
               "calculate_all": true}, ...]}

One ``soffice`` process serves every job: it is started with a private profile whose
``OOXMLRecalcMode`` is 0 (always recalculate on load, so no stale cached value survives),
reached through a named pipe, and always terminated at the end — its whole process group is
killed if it does not quit by itself. Each entry is typed "as a person would type": the text
goes through ``XCell.setFormula``, which parses input like the Calc input line (``12`` becomes
the number 12, ``12件`` stays text, ``=A1`` becomes a formula). The UNO API ignores sheet
protection, so locked cells accept input too. After typing, ``calculateAll()`` runs (unless
the job says ``"calculate_all": false``, to see what loading alone did) and the document is
stored with the "Calc MS Excel 2007 XML" filter.

Prints one JSON object on stdout: ``{"jobs": [{"dst", "ok", "error", "seconds"}]}``.
Exit status: 0 every job done, 1 some job failed, 2 LibreOffice could not be started,
reached or finished in time.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

XLSX_FILTER = "Calc MS Excel 2007 XML"
CONNECT_TIMEOUT = 60.0
QUIT_TIMEOUT = 20.0

# OOXMLRecalcMode / ODFRecalcMode: 0 = always recalculate, 1 = never, 2 = ask.
REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" \
oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop \
oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
{locale}</oor:items>
"""
#: The locale setting (Tools ▸ Options ▸ Language Settings ▸ Languages ▸ Locale setting),
#: which decides how typed input such as "1-2" is recognised (a date in zh-CN).
LOCALE_ITEM = """<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" \
oor:op="fuse"><value>{}</value></prop></item>
"""


class LibreOfficeFailure(Exception):
    """LibreOffice could not be started, reached, or finished in time."""


def _props(**kw: Any) -> tuple[Any, ...]:
    out = []
    for k, v in kw.items():
        p = PropertyValue()
        p.Name = k
        p.Value = v
        out.append(p)
    return tuple(out)


def _tail(path: Path, limit: int = 2000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-limit:].strip()
    except OSError:
        return ""


class Office:
    """One headless soffice with a private profile, killed with its process group on close."""

    def __init__(
        self, soffice: str, timeout: float, workdir: str | None = None, locale: str = ""
    ) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="xlreport-lo-", dir=workdir))
        user = self.profile / "user"
        user.mkdir()
        settings = REGISTRY.format(locale=LOCALE_ITEM.format(locale) if locale else "")
        (user / "registrymodifications.xcu").write_text(settings, encoding="utf-8")
        self.log = self.profile / "soffice.log"
        self.pipe = f"xlreport_lo_{os.getpid()}_{secrets.token_hex(4)}"
        self.timed_out = False
        cmd = [
            soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={self.profile.as_uri()}",
            f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
        ]
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as a whole
            )
        # Watchdog: a UNO call blocked inside a hung soffice cannot be interrupted from
        # Python, but killing soffice makes that call fail at once.
        self.watchdog = threading.Timer(timeout, self._expire)
        self.watchdog.daemon = True
        self.watchdog.start()
        self.desktop: Any = None
        self.dispatcher: Any = None

    def _expire(self) -> None:
        self.timed_out = True
        self._kill_group(signal.SIGKILL)

    def _kill_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)

    def connect(self) -> Any:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            try:
                ctx = resolver.resolve(url)
                break
            except NoConnectException:
                if self.timed_out:
                    raise LibreOfficeFailure("soffice did not start in time") from None
                code = self.proc.poll()
                if code is not None:
                    raise LibreOfficeFailure(
                        f"soffice exited with status {code} before accepting a connection; "
                        f"its output: {_tail(self.log) or '(none)'}"
                    ) from None
                if time.monotonic() > deadline:
                    raise LibreOfficeFailure(
                        f"soffice did not accept a connection within {CONNECT_TIMEOUT:.0f} s"
                    ) from None
                time.sleep(0.2)
        smgr = ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        self.dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        return self.desktop

    def close(self) -> None:
        self.watchdog.cancel()
        if self.desktop is not None:
            with contextlib.suppress(Exception):  # the bridge drops while soffice quits
                self.desktop.terminate()
        try:
            self.proc.wait(timeout=QUIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._kill_group(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._kill_group(signal.SIGKILL)
                self.proc.wait(timeout=5)
        self._kill_group(signal.SIGKILL)  # stragglers (soffice.bin outliving oosplash)
        shutil.rmtree(self.profile, ignore_errors=True)


def _type_in_ui(dispatcher: Any, doc: Any, sheet: Any, ref: str, text: str) -> None:
    """Type ``text`` into ``ref`` the way a person does: go to the cell, enter the text as
    the input line would (Calc's input recognition, the cell's protection and number
    format apply; a date typed into a number cell gets a date format)."""
    controller = doc.getCurrentController()
    controller.setActiveSheet(sheet)
    frame = controller.getFrame()
    dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, _props(ToPoint=ref))
    dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, _props(StringName=text))


def run_job(desktop: Any, job: dict[str, Any], office: Office | None = None) -> None:
    src = Path(job["src"]).resolve()
    dst = Path(job["dst"]).resolve()
    if not src.is_file():
        raise ValueError(f"source file not found: {src}")
    ui = bool(job.get("ui", False))
    if ui:
        assert office is not None
        # soffice is killed after the job (see main): open a private copy, so that the
        # lock file it leaves goes with its profile, not beside the source
        copy = office.profile / "ui" / src.name
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(src, copy)
        src = copy
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(str(src)),
        "_blank",
        0,
        _props(Hidden=True, ReadOnly=False, MacroExecutionMode=0, UpdateDocMode=0),
    )
    if doc is None:
        raise ValueError(f"LibreOffice could not open {src}")
    try:
        sheets = doc.getSheets()
        for sheet_name, ref, text in job.get("entries", []):
            if not sheets.hasByName(sheet_name):
                names = "、".join(sheets.getElementNames())
                raise ValueError(f"no sheet named {sheet_name!r} in {src.name} (sheets: {names})")
            sheet = sheets.getByName(sheet_name)
            if ui:
                assert office is not None
                _type_in_ui(office.dispatcher, doc, sheet, ref, str(text))
                continue
            cell = sheet.getCellRangeByName(ref).getCellByPosition(0, 0)
            cell.setFormula(str(text))
        if job.get("calculate_all", True):
            doc.calculateAll()
        dst.parent.mkdir(parents=True, exist_ok=True)
        doc.storeToURL(
            uno.systemPathToFileUrl(str(dst)), _props(FilterName=XLSX_FILTER, Overwrite=True)
        )
    finally:
        if not ui:  # a document typed into through the UI is left to soffice's end
            try:
                doc.close(True)
            except Exception:
                doc.dispose()
    if not dst.is_file():
        raise ValueError(f"LibreOffice reported success but wrote no file at {dst}")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: uno_fill.py JOBS.json", file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results: list[dict[str, Any]] = []
    office: Office | None = None
    timed_out = False
    status = 0
    try:
        for job in spec["jobs"]:
            if office is None:
                office = Office(
                    spec.get("soffice", "soffice"),
                    float(spec.get("timeout", 300)),
                    spec.get("workdir"),
                    spec.get("locale", ""),
                )
                desktop = office.connect()
            t0 = time.monotonic()
            try:
                run_job(desktop, job, office)
                results.append({"dst": job["dst"], "ok": True, "error": ""})
            except Exception as e:  # one bad job must not hide the others
                if office.timed_out:
                    raise LibreOfficeFailure("LibreOffice was killed mid-job") from e
                results.append(
                    {"dst": job["dst"], "ok": False, "error": f"{type(e).__name__}: {e}"}
                )
                status = 1
            results[-1]["seconds"] = round(time.monotonic() - t0, 3)
            if job.get("ui", False):
                # soffice 7.4 headless crashes on its next call once a document has been
                # typed into through the UI (measured: closing, disposing or loading the
                # next document), after the document was stored: a new one for the next job
                office.close()
                timed_out = timed_out or office.timed_out
                office = None
    except Exception as e:
        late = " (timed out)" if office is not None and office.timed_out else ""
        print(f"uno_fill{late}: {type(e).__name__}: {e}", file=sys.stderr)
        status = 2
    finally:
        if office is not None:
            office.close()
            timed_out = timed_out or office.timed_out
    if timed_out and status != 2:
        print("uno_fill: timed out", file=sys.stderr)
        status = 2
    print(json.dumps({"jobs": results}, ensure_ascii=False))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
