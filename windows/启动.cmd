@echo off
rem xlreport serve: the office board in the browser, on the campaign folder this file sits in.
rem Put this file into the campaign folder (the folder made by "xlreport campaign init"; or run
rem "xlreport serve FOLDER --write-launcher", which also fills in XLR_PYTHON below) and
rem double-click it. It looks for xlreport in: XLR_PYTHON, a .venv beside this file, a .venv one
rem folder up, then PATH, then "py -m xlreport". Close this window to stop the server.
setlocal
chcp 65001 >nul
set "CAMPAIGN=%~dp0."
set "XLR_PYTHON="
set "XLR="
if exist "%~dp0.venv\Scripts\xlreport.exe" set "XLR=%~dp0.venv\Scripts\xlreport.exe"
if not defined XLR if exist "%~dp0..\.venv\Scripts\xlreport.exe" set "XLR=%~dp0..\.venv\Scripts\xlreport.exe"
if not defined XLR (
  where xlreport >nul 2>nul && set "XLR=xlreport"
)
echo xlreport serve "%CAMPAIGN%"
echo 正在启动报送网页（关闭本窗口即停止）……
if defined XLR_PYTHON if exist "%XLR_PYTHON%" goto with_python
if defined XLR goto with_xlreport
py -m xlreport serve "%CAMPAIGN%" --open %*
goto served
:with_python
"%XLR_PYTHON%" -m xlreport serve "%CAMPAIGN%" --open %*
goto served
:with_xlreport
"%XLR%" serve "%CAMPAIGN%" --open %*
:served
if errorlevel 1 (
  echo.
  echo 启动失败：请看上面的提示。如未安装 xlreport，请见 docs\serve.md 的 Windows 一节。
  pause
)
endlocal
