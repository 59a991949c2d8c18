"""A collection campaign above its ledger: receipts, notices, the board, the merge.

Layer: above ``xlreport.ledger`` (which records), below ``xlreport.api`` (the use cases).
The documents are printable A4 workbooks (:mod:`xlreport.campaign.documents`).
"""
