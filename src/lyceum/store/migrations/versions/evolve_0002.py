"""evolve: a monotonic sequence number on registry transitions

Rows written in one flush can share `created_at`, and their ids are random, so ordering by
(created_at, id) could put "promoted" before "demoted". `seq` records the order of writing;
existing rows are numbered in their previous (created_at, id) order.

Revision ID: evolve_0002
Revises: evolve_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "evolve_0002"
down_revision = "evolve_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("evolve_transitions", sa.Column("seq", sa.Integer(), nullable=True))
    bind = op.get_bind()
    ordered = bind.execute(
        sa.text("SELECT id FROM evolve_transitions ORDER BY created_at, id")
    ).fetchall()
    for number, (row_id,) in enumerate(ordered, 1):
        bind.execute(
            sa.text("UPDATE evolve_transitions SET seq = :seq WHERE id = :id"),
            {"seq": number, "id": row_id},
        )
    with op.batch_alter_table("evolve_transitions") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint(op.f("uq_evolve_transitions_seq"), ["seq"])


def downgrade() -> None:
    with op.batch_alter_table("evolve_transitions") as batch:
        batch.drop_constraint(op.f("uq_evolve_transitions_seq"), type_="unique")
        batch.drop_column("seq")
