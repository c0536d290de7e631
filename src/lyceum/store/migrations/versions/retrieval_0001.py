"""retrieval: corpus files and chunks

Revision ID: retrieval_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "retrieval_0001"
down_revision = "0001"
branch_labels = ("retrieval",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corpus_files",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("collection", sa.String(length=128), nullable=False),
        sa.Column("path", sa.String(length=2048), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("n_documents", sa.Integer(), nullable=False),
        sa.Column("n_chunks", sa.Integer(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corpus_files")),
        sa.UniqueConstraint("collection", "path", name=op.f("uq_corpus_files_collection")),
    )
    op.create_index(op.f("ix_corpus_files_collection"), "corpus_files", ["collection"])
    op.create_table(
        "corpus_chunks",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("collection", sa.String(length=128), nullable=False),
        sa.Column("file_id", sa.String(length=64), nullable=False),
        sa.Column("doc_key", sa.String(length=512), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title", sa.String(length=1024), nullable=False),
        sa.Column("source", sa.String(length=2048), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("section", sa.String(length=1024), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("arxiv_id", sa.String(length=64), nullable=True),
        sa.Column("doi", sa.String(length=256), nullable=True),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["corpus_files.id"],
            name=op.f("fk_corpus_chunks_file_id_corpus_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corpus_chunks")),
    )
    op.create_index(op.f("ix_corpus_chunks_collection"), "corpus_chunks", ["collection"])
    op.create_index(op.f("ix_corpus_chunks_file_id"), "corpus_chunks", ["file_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_corpus_chunks_file_id"), table_name="corpus_chunks")
    op.drop_index(op.f("ix_corpus_chunks_collection"), table_name="corpus_chunks")
    op.drop_table("corpus_chunks")
    op.drop_index(op.f("ix_corpus_files_collection"), table_name="corpus_files")
    op.drop_table("corpus_files")
