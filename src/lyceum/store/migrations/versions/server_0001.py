"""server: API keys, durable jobs and their events, experiment definitions

Revision ID: server_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "server_0001"
down_revision = "0001"
branch_labels = ("server",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_api_keys",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("rate_limit_per_min", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_api_keys")),
    )
    op.create_index(
        op.f("ix_server_api_keys_token_hash"), "server_api_keys", ["token_hash"], unique=True
    )
    op.create_table(
        "server_jobs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("run_id", sa.String(length=64), nullable=True),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_jobs")),
    )
    op.create_index(op.f("ix_server_jobs_kind"), "server_jobs", ["kind"])
    op.create_index(op.f("ix_server_jobs_status"), "server_jobs", ["status"])
    op.create_index(op.f("ix_server_jobs_run_id"), "server_jobs", ["run_id"])
    op.create_table(
        "server_job_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["server_jobs.id"], name=op.f("fk_server_job_events_job_id_server_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_job_events")),
    )
    op.create_index(op.f("ix_server_job_events_job_id"), "server_job_events", ["job_id"])
    op.create_table(
        "server_experiments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=512), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("config_hash", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_experiments")),
    )
    op.create_index(op.f("ix_server_experiments_config_hash"), "server_experiments", ["config_hash"])


def downgrade() -> None:
    op.drop_index(op.f("ix_server_experiments_config_hash"), table_name="server_experiments")
    op.drop_table("server_experiments")
    op.drop_index(op.f("ix_server_job_events_job_id"), table_name="server_job_events")
    op.drop_table("server_job_events")
    op.drop_index(op.f("ix_server_jobs_run_id"), table_name="server_jobs")
    op.drop_index(op.f("ix_server_jobs_status"), table_name="server_jobs")
    op.drop_index(op.f("ix_server_jobs_kind"), table_name="server_jobs")
    op.drop_table("server_jobs")
    op.drop_index(op.f("ix_server_api_keys_token_hash"), table_name="server_api_keys")
    op.drop_table("server_api_keys")
