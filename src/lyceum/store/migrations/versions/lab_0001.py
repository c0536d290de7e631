"""lab: experiment results and judge verdicts

Revision ID: lab_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "lab_0001"
down_revision = "0001"
branch_labels = ("lab",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_results",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("dataset", sa.String(length=128), nullable=False),
        sa.Column("model", sa.String(length=256), nullable=False),
        sa.Column("method", sa.String(length=128), nullable=False),
        sa.Column("example_id", sa.String(length=256), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("prediction", sa.Text(), nullable=False),
        sa.Column("raw_output", sa.Text(), nullable=False),
        sa.Column("gold", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("latency_s", sa.Float(), nullable=False),
        sa.Column("model_latency_s", sa.Float(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("trace", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_lab_results_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_results")),
        sa.UniqueConstraint(
            "run_id",
            "dataset",
            "model",
            "method",
            "example_id",
            name=op.f("uq_lab_results_run_id"),
        ),
    )
    op.create_index(op.f("ix_lab_results_run_id"), "lab_results", ["run_id"])
    op.create_table(
        "lab_judgements",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("judge", sa.String(length=256), nullable=False),
        sa.Column("dataset", sa.String(length=128), nullable=False),
        sa.Column("example_id", sa.String(length=256), nullable=False),
        sa.Column("subject", sa.String(length=512), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("verdict", sa.String(length=64), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["runs.id"],
            name=op.f("fk_lab_judgements_run_id_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_judgements")),
    )
    op.create_index(op.f("ix_lab_judgements_run_id"), "lab_judgements", ["run_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_lab_judgements_run_id"), table_name="lab_judgements")
    op.drop_table("lab_judgements")
    op.drop_index(op.f("ix_lab_results_run_id"), table_name="lab_results")
    op.drop_table("lab_results")
