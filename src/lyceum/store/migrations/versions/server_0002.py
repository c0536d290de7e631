"""server: a lease on running jobs (owner and expiry, renewed by a heartbeat)

Without it a starting server could not tell a job another live server is running from
one a killed process left `running`. Rows already `running` get no lease, which counts
as expired: the next server to start takes them over, as before this revision.

Revision ID: server_0002
Revises: server_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "server_0002"
down_revision = "server_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("server_jobs", sa.Column("lease_owner", sa.String(length=128), nullable=True))
    op.add_column(
        "server_jobs", sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("server_jobs") as batch:
        batch.drop_column("lease_expires_at")
        batch.drop_column("lease_owner")
