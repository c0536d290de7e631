"""research: episodes of past runs and papers read

Revision ID: research_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "research_0001"
down_revision = "0001"
branch_labels = ("research",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "research_episodes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("good_queries", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("supported", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_research_episodes_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_episodes")),
    )
    op.create_index(op.f("ix_research_episodes_run_id"), "research_episodes", ["run_id"], unique=True)
    op.create_table(
        "research_papers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("document_key", sa.String(length=2048), nullable=False),
        sa.Column("title", sa.String(length=1024), nullable=False),
        sa.Column("source", sa.String(length=128), nullable=False),
        sa.Column("location", sa.String(length=2048), nullable=False),
        sa.Column("cited", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_research_papers_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_research_papers")),
    )
    op.create_index(op.f("ix_research_papers_run_id"), "research_papers", ["run_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_research_papers_run_id"), table_name="research_papers")
    op.drop_table("research_papers")
    op.drop_index(op.f("ix_research_episodes_run_id"), table_name="research_episodes")
    op.drop_table("research_episodes")
