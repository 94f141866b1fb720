"""identity matching reads golden customers: e-mail index on customer, none on lineage keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:00:00.000000

Source records were matched through three indexes of their own (ID hash, phone
hash, e-mail) besides the golden customer's; maintaining them was the largest
single cost of writing a record. Matching now reads the golden customers, which
gain the e-mail index they lacked.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_customer_email", "customer", ["email"], unique=False)
    op.drop_index("ix_source_record_email", table_name="source_record")
    op.drop_index("ix_source_record_id_number_hash", table_name="source_record")
    op.drop_index("ix_source_record_phone_hash", table_name="source_record")


def downgrade() -> None:
    op.create_index("ix_source_record_phone_hash", "source_record", ["phone_hash"], unique=False)
    op.create_index(
        "ix_source_record_id_number_hash", "source_record", ["id_number_hash"], unique=False
    )
    op.create_index("ix_source_record_email", "source_record", ["email"], unique=False)
    op.drop_index("ix_customer_email", table_name="customer")
