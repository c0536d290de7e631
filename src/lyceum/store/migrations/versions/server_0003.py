"""server: admin keys, and a count of the server deaths a job has gone through

A job belongs to the key that submitted it; only an admin key reads other keys' jobs and
the call log. `crashes` counts the times a job was found `running` under a lapsed lease
(its server died), so a job that kills its server is retried a bounded number of times.
Existing keys are not admin: after the upgrade, create one with
`lyceum serve keys create NAME --admin`.

Revision ID: server_0003
Revises: server_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "server_0003"
down_revision = "server_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "server_api_keys",
        sa.Column("admin", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "server_jobs", sa.Column("crashes", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    with op.batch_alter_table("server_jobs") as batch:
        batch.drop_column("crashes")
    with op.batch_alter_table("server_api_keys") as batch:
        batch.drop_column("admin")
