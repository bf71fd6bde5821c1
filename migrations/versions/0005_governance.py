"""governance: meetings, minutes, decided items, plans and the four lists, river health,
inspections, accountability and commendations, assessment, office documents.

Revision ID: 0005
Revises: 0004
"""

# ruff: noqa: E501 (generated constraint expressions are long strings)
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("prefix", "year", "seq", name="uq_office_document_number"),
    )
    op.create_table(
        "accountability_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.Text(), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=True),
        sa.Column("liaison_unit_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("river_id", sa.Integer(), nullable=True),
        sa.Column("person", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("handed_to", sa.Text(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("follow_up_note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('reminder', 'circular', 'admonition', 'accountability')",
            name="ck_accountability_record_kind",
        ),
        sa.CheckConstraint(
            "(county_code IS NOT NULL)::int + (liaison_unit_id IS NOT NULL)::int + (department_id IS NOT NULL)::int = 1",
            name="ck_accountability_record_target",
        ),
        sa.ForeignKeyConstraint(
            ["county_code"],
            ["admin_area.code"],
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["office_document.id"],
        ),
        sa.ForeignKeyConstraint(
            ["liaison_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_accountability_record_county_code"),
        "accountability_record",
        ["county_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_accountability_record_issued_on"),
        "accountability_record",
        ["issued_on"],
        unique=False,
    )
    op.create_table(
        "annual_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("river_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("approved_by_official_id", sa.Integer(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee_county", sa.String(length=12), nullable=True),
        sa.Column("assignee_unit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approved_by_official_id"],
            ["official.id"],
        ),
        sa.ForeignKeyConstraint(
            ["assignee_county"],
            ["admin_area.code"],
        ),
        sa.ForeignKeyConstraint(
            ["assignee_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["office_document.id"],
        ),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("river_id", "year", name="uq_annual_list_river_year"),
    )
    op.create_index(
        op.f("ix_annual_list_assignee_county"), "annual_list", ["assignee_county"], unique=False
    )
    op.create_index(op.f("ix_annual_list_river_id"), "annual_list", ["river_id"], unique=False)
    op.create_index(op.f("ix_annual_list_state"), "annual_list", ["state"], unique=False)
    op.create_table(
        "assessment_manual_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("item", sa.String(length=48), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.Text(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["county_code"],
            ["admin_area.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "county_code", "item", name="uq_assessment_manual_score"),
    )
    op.create_index(
        op.f("ix_assessment_manual_score_year"), "assessment_manual_score", ["year"], unique=False
    )
    op.create_table(
        "commendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=True),
        sa.Column("liaison_unit_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("person", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('commendation', 'praise', 'incentive')", name="ck_commendation_kind"
        ),
        sa.CheckConstraint(
            "(county_code IS NOT NULL)::int + (liaison_unit_id IS NOT NULL)::int + (department_id IS NOT NULL)::int = 1",
            name="ck_commendation_target",
        ),
        sa.ForeignKeyConstraint(
            ["county_code"],
            ["admin_area.code"],
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["office_document.id"],
        ),
        sa.ForeignKeyConstraint(
            ["liaison_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_commendation_awarded_on"), "commendation", ["awarded_on"], unique=False
    )
    op.create_index(
        op.f("ix_commendation_county_code"), "commendation", ["county_code"], unique=False
    )
    op.create_table(
        "inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("organiser_unit_id", sa.Integer(), nullable=True),
        sa.Column("county_code", sa.String(length=12), nullable=True),
        sa.Column("liaison_unit_id", sa.Integer(), nullable=True),
        sa.Column("river_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(county_code IS NULL) <> (liaison_unit_id IS NULL)", name="ck_inspection_target"
        ),
        sa.ForeignKeyConstraint(
            ["county_code"],
            ["admin_area.code"],
        ),
        sa.ForeignKeyConstraint(
            ["liaison_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organiser_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_inspection_county_code"), "inspection", ["county_code"], unique=False)
    op.create_index(
        op.f("ix_inspection_inspected_on"), "inspection", ["inspected_on"], unique=False
    )
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("chair_official_id", sa.Integer(), nullable=True),
        sa.Column("convener_unit_id", sa.Integer(), nullable=True),
        sa.Column("convener_code", sa.String(length=12), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("attendees", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind = 'joint' OR (agreement_id IS NULL AND convener_code IS NULL)",
            name="ck_meeting_joint_fields",
        ),
        sa.CheckConstraint(
            "kind IN ('general', 'onsite', 'basin', 'joint', 'office')", name="ck_meeting_kind"
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["cooperation_agreement.id"], ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["chair_official_id"],
            ["official.id"],
        ),
        sa.ForeignKeyConstraint(
            ["convener_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_meeting_agreement_id"), "meeting", ["agreement_id"], unique=False)
    op.create_index(
        op.f("ix_meeting_chair_official_id"), "meeting", ["chair_official_id"], unique=False
    )
    op.create_index(op.f("ix_meeting_held_on"), "meeting", ["held_on"], unique=False)
    op.create_index(op.f("ix_meeting_kind"), "meeting", ["kind"], unique=False)
    op.create_table(
        "river_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("river_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("approved_by_official_id", sa.Integer(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee_county", sa.String(length=12), nullable=True),
        sa.Column("assignee_unit_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("period_end >= period_start", name="ck_river_plan_period"),
        sa.ForeignKeyConstraint(
            ["approved_by_official_id"],
            ["official.id"],
        ),
        sa.ForeignKeyConstraint(
            ["assignee_county"],
            ["admin_area.code"],
        ),
        sa.ForeignKeyConstraint(
            ["assignee_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["office_document.id"],
        ),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_river_plan_assignee_county"), "river_plan", ["assignee_county"], unique=False
    )
    op.create_index(op.f("ix_river_plan_river_id"), "river_plan", ["river_id"], unique=False)
    op.create_index(op.f("ix_river_plan_state"), "river_plan", ["state"], unique=False)
    op.create_table(
        "annual_list_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=True),
        sa.Column("county_code", sa.String(length=12), nullable=True),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.Column("responsible_unit", sa.Text(), nullable=True),
        sa.Column("cooperating_units", sa.Text(), nullable=True),
        sa.Column("responsible_person", sa.Text(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('targets', 'problems', 'tasks', 'responsibilities')",
            name="ck_annual_list_item_kind",
        ),
        sa.ForeignKeyConstraint(
            ["county_code"],
            ["admin_area.code"],
        ),
        sa.ForeignKeyConstraint(["list_id"], ["annual_list.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("list_id", "kind", "ord", name="uq_annual_list_item_ord"),
    )
    op.create_index(
        op.f("ix_annual_list_item_list_id"), "annual_list_item", ["list_id"], unique=False
    )
    op.create_table(
        "assessment_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("results", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["office_document.id"],
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year"),
    )
    op.create_table(
        "health_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("river_id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("county_code", sa.String(length=12), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("health_class", sa.String(length=16), nullable=False),
        sa.Column("report_title", sa.Text(), nullable=True),
        sa.Column("approved_by_official_id", sa.Integer(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("score >= 0 AND score <= 100", name="ck_health_assessment_score"),
        sa.ForeignKeyConstraint(
            ["approved_by_official_id"],
            ["official.id"],
        ),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["segment_id"], ["segment.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_health_assessment_river_id"), "health_assessment", ["river_id"], unique=False
    )
    op.create_index(op.f("ix_health_assessment_year"), "health_assessment", ["year"], unique=False)
    op.create_table(
        "meeting_river",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("river_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id", "river_id"),
    )
    op.create_index(op.f("ix_meeting_river_river_id"), "meeting_river", ["river_id"], unique=False)
    op.create_table(
        "minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("approved_by_official_id", sa.Integer(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee_county", sa.String(length=12), nullable=True),
        sa.Column("assignee_unit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approved_by_official_id"],
            ["official.id"],
        ),
        sa.ForeignKeyConstraint(
            ["assignee_county"],
            ["admin_area.code"],
        ),
        sa.ForeignKeyConstraint(
            ["assignee_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["office_document.id"],
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id"),
    )
    op.create_index(
        op.f("ix_minutes_assignee_county"), "minutes", ["assignee_county"], unique=False
    )
    op.create_index(op.f("ix_minutes_state"), "minutes", ["state"], unique=False)
    op.create_table(
        "action_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("patrol_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("river_id", sa.Integer(), nullable=True),
        sa.Column("supervisor_unit_id", sa.Integer(), nullable=True),
        sa.Column("report_to_official_id", sa.Integer(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee_county", sa.String(length=12), nullable=True),
        sa.Column("assignee_unit_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(assignee_county IS NULL) <> (assignee_unit_id IS NULL)",
            name="ck_action_item_assignee",
        ),
        sa.CheckConstraint(
            "meeting_id IS NOT NULL OR patrol_id IS NOT NULL", name="ck_action_item_source"
        ),
        sa.ForeignKeyConstraint(
            ["assignee_county"],
            ["admin_area.code"],
        ),
        sa.ForeignKeyConstraint(
            ["assignee_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["patrol_id"],
            ["patrol.id"],
        ),
        sa.ForeignKeyConstraint(
            ["report_to_official_id"],
            ["official.id"],
        ),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["supervisor_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_action_item_assignee_county"), "action_item", ["assignee_county"], unique=False
    )
    op.create_index(op.f("ix_action_item_meeting_id"), "action_item", ["meeting_id"], unique=False)
    op.create_index(op.f("ix_action_item_patrol_id"), "action_item", ["patrol_id"], unique=False)
    op.create_index(op.f("ix_action_item_state"), "action_item", ["state"], unique=False)
    op.create_table(
        "health_indicator_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=48), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("measured", sa.Text(), nullable=True),
        sa.CheckConstraint("score >= 0 AND score <= 100", name="ck_health_indicator_score"),
        sa.ForeignKeyConstraint(["assessment_id"], ["health_assessment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("assessment_id", "indicator", name="uq_health_indicator_score"),
    )
    op.create_index(
        op.f("ix_health_indicator_score_assessment_id"),
        "health_indicator_score",
        ["assessment_id"],
        unique=False,
    )
    op.create_table(
        "inspection_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.Column("handed_to_county", sa.String(length=12), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspection.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["problem_id"], ["problem.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_inspection_finding_inspection_id"),
        "inspection_finding",
        ["inspection_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_inspection_finding_problem_id"), "inspection_finding", ["problem_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_inspection_finding_problem_id"), table_name="inspection_finding")
    op.drop_index(op.f("ix_inspection_finding_inspection_id"), table_name="inspection_finding")
    op.drop_table("inspection_finding")
    op.drop_index(
        op.f("ix_health_indicator_score_assessment_id"), table_name="health_indicator_score"
    )
    op.drop_table("health_indicator_score")
    op.drop_index(op.f("ix_action_item_state"), table_name="action_item")
    op.drop_index(op.f("ix_action_item_patrol_id"), table_name="action_item")
    op.drop_index(op.f("ix_action_item_meeting_id"), table_name="action_item")
    op.drop_index(op.f("ix_action_item_assignee_county"), table_name="action_item")
    op.drop_table("action_item")
    op.drop_index(op.f("ix_minutes_state"), table_name="minutes")
    op.drop_index(op.f("ix_minutes_assignee_county"), table_name="minutes")
    op.drop_table("minutes")
    op.drop_index(op.f("ix_meeting_river_river_id"), table_name="meeting_river")
    op.drop_table("meeting_river")
    op.drop_index(op.f("ix_health_assessment_year"), table_name="health_assessment")
    op.drop_index(op.f("ix_health_assessment_river_id"), table_name="health_assessment")
    op.drop_table("health_assessment")
    op.drop_table("assessment_result")
    op.drop_index(op.f("ix_annual_list_item_list_id"), table_name="annual_list_item")
    op.drop_table("annual_list_item")
    op.drop_index(op.f("ix_river_plan_state"), table_name="river_plan")
    op.drop_index(op.f("ix_river_plan_river_id"), table_name="river_plan")
    op.drop_index(op.f("ix_river_plan_assignee_county"), table_name="river_plan")
    op.drop_table("river_plan")
    op.drop_index(op.f("ix_meeting_kind"), table_name="meeting")
    op.drop_index(op.f("ix_meeting_held_on"), table_name="meeting")
    op.drop_index(op.f("ix_meeting_chair_official_id"), table_name="meeting")
    op.drop_index(op.f("ix_meeting_agreement_id"), table_name="meeting")
    op.drop_table("meeting")
    op.drop_index(op.f("ix_inspection_inspected_on"), table_name="inspection")
    op.drop_index(op.f("ix_inspection_county_code"), table_name="inspection")
    op.drop_table("inspection")
    op.drop_index(op.f("ix_commendation_county_code"), table_name="commendation")
    op.drop_index(op.f("ix_commendation_awarded_on"), table_name="commendation")
    op.drop_table("commendation")
    op.drop_index(op.f("ix_assessment_manual_score_year"), table_name="assessment_manual_score")
    op.drop_table("assessment_manual_score")
    op.drop_index(op.f("ix_annual_list_state"), table_name="annual_list")
    op.drop_index(op.f("ix_annual_list_river_id"), table_name="annual_list")
    op.drop_index(op.f("ix_annual_list_assignee_county"), table_name="annual_list")
    op.drop_table("annual_list")
    op.drop_index(op.f("ix_accountability_record_issued_on"), table_name="accountability_record")
    op.drop_index(op.f("ix_accountability_record_county_code"), table_name="accountability_record")
    op.drop_table("accountability_record")
    op.drop_table("office_document")
