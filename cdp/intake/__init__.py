"""API intake: batches pushed by source systems, through the same ingestion as files."""

from cdp.intake.outcome import ItemOutcome, Submission
from cdp.intake.senders import check_sender
from cdp.intake.service import MAX_ITEMS, submit_batch

__all__ = ["MAX_ITEMS", "ItemOutcome", "Submission", "check_sender", "submit_batch"]
