"""Conversation review: the index of the tracker store, reviews, tags, notes, the NLU inbox.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CONVERSATION = sa.String(length=255)
STAFF = sa.String(length=80)


def upgrade() -> None:
    op.create_table(
        "console_conversations",
        sa.Column("conversation_id", CONVERSATION, primary_key=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("fallbacks", sa.Integer(), nullable=False),
        sa.Column("min_confidence", sa.Float(), nullable=True),
        sa.Column("handoff", sa.Boolean(), nullable=False),
        sa.Column("preview", sa.String(length=200), nullable=False),
    )
    op.create_index("ix_console_conversations_last_at", "console_conversations", ["last_at"])
    op.create_index("ix_console_conversations_channel_last", "console_conversations", ["channel", "last_at"])
    op.create_index("ix_console_conversations_started", "console_conversations", ["started_at"])

    op.create_table(
        "console_messages",
        sa.Column("event_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("conversation_id", CONVERSATION, nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("fallback", sa.Boolean(), nullable=False),
        sa.Column("payload", sa.Boolean(), nullable=False),
        sa.Column("entities", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=True),
    )
    op.create_index("ix_console_messages_conversation_id", "console_messages", ["conversation_id"])
    op.create_index("ix_console_messages_intent", "console_messages", ["intent", "conversation_id"])
    op.create_index("ix_console_messages_sent_at", "console_messages", ["sent_at"])

    op.create_table(
        "console_conversation_programs",
        sa.Column("conversation_id", CONVERSATION, primary_key=True),
        sa.Column("program", sa.String(length=80), primary_key=True),
    )
    op.create_index("ix_console_conversation_programs_program", "console_conversation_programs", ["program"])

    op.create_table(
        "console_index_state",
        sa.Column("source", sa.String(length=40), primary_key=True),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "console_reviews",
        sa.Column("conversation_id", CONVERSATION, primary_key=True),
        sa.Column("reviewed_by", STAFF, nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "console_tags",
        sa.Column("conversation_id", CONVERSATION, primary_key=True),
        sa.Column("tag", sa.String(length=40), primary_key=True),
        sa.Column("added_by", STAFF, nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_console_tags_tag", "console_tags", ["tag"])
    op.create_table(
        "console_notes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", CONVERSATION, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("author", STAFF, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_console_notes_conversation_id", "console_notes", ["conversation_id"])
    op.create_table(
        "console_nlu_reviews",
        sa.Column("event_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("conversation_id", CONVERSATION, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("intent", sa.String(length=80), nullable=True),
        sa.Column("annotated", sa.Text(), nullable=True),
        sa.Column("flagged_by", STAFF, nullable=True),
        sa.Column("decided_by", STAFF, nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("exported_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_console_nlu_reviews_status", "console_nlu_reviews", ["status"])


def downgrade() -> None:
    for table in (
        "console_nlu_reviews",
        "console_notes",
        "console_tags",
        "console_reviews",
        "console_index_state",
        "console_conversation_programs",
        "console_messages",
        "console_conversations",
    ):
        op.drop_table(table)
