"""xlreport: the 政府信息公开工作年度报告 statutory tables — template, check, merge."""

__version__ = "0.1.0"
