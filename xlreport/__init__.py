"""xlreport: the 政府信息公开工作年度报告 statutory tables — template, check, merge."""

from importlib.metadata import PackageNotFoundError, version

try:  # the one place the version is written is pyproject.toml (the package metadata)
    __version__ = version("xlreport")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
