"""Which source names a caller may send records as.

A source name is not a label. Its trust (``CDP_SOURCE_TRUST``) decides whose values
survive on a golden customer, its records' keys are what holdings and consents of
the same source refer to, and idempotency keys are scoped to it. A caller that
could name any source could take ``core_banking``'s trust and overwrite phones and
e-mails, or grant consents for another system's customers. So every credential
carries the names it may use (``Principal.sources``: bound to an API key with
``cdp keys create --source``, or a JWT's ``sources`` claim) and a batch under any
other name is refused before anything is read or written. Administrators are not
bound: they may send under any name, as ``cdp import --source`` does.
"""

from __future__ import annotations

from cdp.errors import Forbidden
from cdp.principal import Principal

# Roles that may send under any source name.
UNBOUND_ROLES = frozenset({"admin"})

# A refused name is echoed at most this long (a name has at most 32 characters).
_ECHO = 40


def check_sender(sender: Principal, source: str) -> None:
    """Raise ``Forbidden`` naming ``source`` unless ``sender`` may send as it.

    Names are compared exactly as sent: a spelling that normalisation would fold
    into a bound name (spaces, full-width letters) is refused, not guessed at.
    """
    if sender.roles & UNBOUND_ROLES or source in sender.sources:
        return
    shown = source if len(source) <= _ECHO else source[:_ECHO] + "…"
    allowed = sorted(sender.sources)
    may = f"it may send as {', '.join(allowed)}" if allowed else "it is bound to no source"
    raise Forbidden(
        f"this credential may not send records as source {shown!r}; {may}",
        source=shown,
        allowedSources=allowed,
    )
