"""Ingestion: validation, normalisation, identity resolution and lineage.

``ingest_batch`` serves every entry point (file imports and API mutations);
``import_file`` drives it over a file, one transaction per batch.
"""

from cdp.ingest.batch import ingest_batch
from cdp.ingest.results import BatchResult, ItemResult
from cdp.ingest.runner import ImportReport, import_file

__all__ = ["BatchResult", "ImportReport", "ItemResult", "import_file", "ingest_batch"]
