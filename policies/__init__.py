"""Casbin policies, field masks, row scopes, consent gates and the audit trail.

The rules they enforce are in docs/architecture.md; what each default role sees
is docs/roles.md. The language is ``model.conf`` (documented in
``policies.language``), the default policy ``policy.csv`` and its generated
matrix ``README.md``. Lines come from a
``CasbinPolicyStore``, are checked by ``policies.validation`` and compiled once per
version into per-role-set plans by ``policies.compiled``; ``policies.masking``
holds the masking functions.
"""
