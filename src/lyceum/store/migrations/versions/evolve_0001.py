"""evolve: gated batches, reviews, accepted examples, registry versions and transitions

Revision ID: evolve_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "evolve_0001"
down_revision = "0001"
branch_labels = ("evolve",)
depends_on = None


def _ts(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "evolve_batches",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("n_examples", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evolve_batches")),
    )
    op.create_index(op.f("ix_evolve_batches_status"), "evolve_batches", ["status"])
    op.create_table(
        "evolve_reviews",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("scripted", sa.Boolean(), nullable=False),
        sa.Column("reviewer", sa.String(length=128), nullable=False),
        sa.Column("sample_ids", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["evolve_batches.id"],
            name=op.f("fk_evolve_reviews_batch_id_evolve_batches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evolve_reviews")),
    )
    op.create_index(op.f("ix_evolve_reviews_batch_id"), "evolve_reviews", ["batch_id"])
    op.create_table(
        "evolve_examples",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("example_id", sa.String(length=256), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("quality", sa.Float(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("generation_depth", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["evolve_batches.id"],
            name=op.f("fk_evolve_examples_batch_id_evolve_batches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evolve_examples")),
    )
    op.create_index(op.f("ix_evolve_examples_batch_id"), "evolve_examples", ["batch_id"])
    op.create_table(
        "evolve_versions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evolve_versions")),
    )
    op.create_index(op.f("ix_evolve_versions_kind"), "evolve_versions", ["kind"])
    op.create_index(op.f("ix_evolve_versions_status"), "evolve_versions", ["status"])
    op.create_table(
        "evolve_transitions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["evolve_versions.id"],
            name=op.f("fk_evolve_transitions_version_id_evolve_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evolve_transitions")),
    )
    op.create_index(op.f("ix_evolve_transitions_version_id"), "evolve_transitions", ["version_id"])


def downgrade() -> None:
    for table in (
        "evolve_transitions",
        "evolve_versions",
        "evolve_examples",
        "evolve_reviews",
        "evolve_batches",
    ):
        op.drop_table(table)
