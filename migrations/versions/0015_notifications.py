"""issue 21: notification channels, preferences and the outbox

The outbox (one row per event, recipient and channel, unique), its delivery attempts, the
channels the office configured (secrets encrypted), each account's preferences, citizens'
unsubscribes, and the reporter's consent on ``public_report``.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL_KINDS = ("dingtalk", "wecom", "email", "sms", "webhook")
OUTBOX_STATES = ("pending", "sent", "failed", "held", "digested", "cancelled")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _now() -> sa.TextClause:
    return sa.text("now()")


def upgrade() -> None:
    op.add_column(
        "public_report",
        sa.Column("notify_consent", sa.Boolean(), server_default="false", nullable=False),
    )
    op.create_table(
        "notification_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(length=160), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.Text(), server_default="", nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "next_attempt_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_ref", sa.Text(), nullable=True),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(_in("channel", CHANNEL_KINDS), name="ck_outbox_channel"),
        sa.CheckConstraint(_in("state", OUTBOX_STATES), name="ck_outbox_state"),
        sa.CheckConstraint("attempts >= 0", name="ck_outbox_attempts"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["public_report.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["digest_id"], ["notification_outbox.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "event_key", "recipient", "channel", name="uq_outbox_event_recipient_channel"
        ),
    )
    for column in ("event_type", "user_id", "report_id", "state", "created_at"):
        op.create_index(op.f(f"ix_notification_outbox_{column}"), "notification_outbox", [column])
    op.create_index(
        "ix_outbox_due",
        "notification_outbox",
        ["next_attempt_at"],
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_table(
        "notification_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            _in("outcome", ("sent", "retry", "failed", "resend")), name="ck_attempt_outcome"
        ),
        sa.ForeignKeyConstraint(["outbox_id"], ["notification_outbox.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_notification_attempt_outbox_id"), "notification_attempt", ["outbox_id"]
    )
    op.create_table(
        "notification_channel",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column(
            "options",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.Column(
            "secret_fields", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(_in("kind", CHANNEL_KINDS), name="ck_channel_kind"),
        sa.ForeignKeyConstraint(["updated_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("kind"),
    )
    op.create_table(
        "notification_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channels", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("quiet_start", sa.Time(), nullable=True),
        sa.Column("quiet_end", sa.Time(), nullable=True),
        sa.Column("mode", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.CheckConstraint(_in("mode", ("immediate", "digest")), name="ck_preference_mode"),
        sa.CheckConstraint(
            "(quiet_start IS NULL) = (quiet_end IS NULL)", name="ck_preference_quiet_pair"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "notification_unsubscribe",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["public_report.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id"),
    )


def downgrade() -> None:
    op.drop_table("notification_unsubscribe")
    op.drop_table("notification_preference")
    op.drop_table("notification_channel")
    op.drop_index(op.f("ix_notification_attempt_outbox_id"), table_name="notification_attempt")
    op.drop_table("notification_attempt")
    op.drop_index("ix_outbox_due", table_name="notification_outbox")
    for column in ("event_type", "user_id", "report_id", "state", "created_at"):
        op.drop_index(op.f(f"ix_notification_outbox_{column}"), table_name="notification_outbox")
    op.drop_table("notification_outbox")
    op.drop_column("public_report", "notify_consent")
