"""Exports of customer data through the permission layer (segments to CSV / JSON Lines).

An application service above the domains: it composes tagging (segment members),
policies (field plan, row scope, consent, audit trail) and customer reads.
"""

from cdp.exports.formats import FORMATS, render, write_private
from cdp.exports.service import PURPOSES, Export, ExportRequest, check_fields, export_segment

__all__ = [
    "FORMATS",
    "PURPOSES",
    "Export",
    "ExportRequest",
    "check_fields",
    "export_segment",
    "render",
    "write_private",
]
