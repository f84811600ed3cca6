"""The academy's domain model: people, organisations, catalogue, enrollments, certificates.

Revision ID: 90cc7833ba06
Revises: 
Create Date: 2026-11-27 07:09:11.192966

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '90cc7833ba06'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title_ka', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('description_ka', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('min_attendance_pct', sa.Integer(), nullable=False),
    sa.Column('grants_certificate', sa.Boolean(), nullable=False),
    sa.Column('validity_months', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('training', 'seminar', 'conference', 'forum')", name=op.f('ck_courses_kind')),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_courses_hours_not_negative')),
    sa.CheckConstraint('min_attendance_pct >= 0 AND min_attendance_pct <= 100', name=op.f('ck_courses_min_attendance_pct')),
    sa.CheckConstraint('validity_months IS NULL OR validity_months > 0', name=op.f('ck_courses_validity_months_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses')),
    sa.UniqueConstraint('code', name=op.f('uq_courses_code'))
    )
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courses_kind'), ['kind'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_ka', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('region', sa.String(length=40), nullable=True),
    sa.CheckConstraint("kind IN ('municipality', 'cso', 'government', 'academia', 'other')", name=op.f('ck_organizations_kind')),
    sa.CheckConstraint("region IN ('tbilisi', 'adjara', 'guria', 'imereti', 'kakheti', 'mtskheta-mtianeti', 'racha-lechkhumi-kvemo-svaneti', 'samegrelo-zemo-svaneti', 'samtskhe-javakheti', 'kvemo-kartli', 'shida-kartli')", name=op.f('ck_organizations_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('kind', 'name_ka', name=op.f('uq_organizations_kind_name_ka'))
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_organizations_name_en', ['name_en'], unique=False)

    op.create_table('signing_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('public_key_pem', sa.Text(), nullable=False),
    sa.Column('certificate_pem', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_keys')),
    sa.UniqueConstraint('kid', name=op.f('uq_signing_keys_kid'))
    )
    op.create_table('offerings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('applications_open_on', sa.Date(), nullable=True),
    sa.Column('applications_close_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("format IN ('in_person', 'online', 'hybrid')", name=op.f('ck_offerings_format')),
    sa.CheckConstraint("status IN ('draft', 'published', 'completed', 'cancelled')", name=op.f('ck_offerings_status')),
    sa.CheckConstraint('applications_close_on IS NULL OR applications_open_on IS NULL OR applications_close_on >= applications_open_on', name=op.f('ck_offerings_application_window_in_order')),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_offerings_capacity_positive')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_offerings_dates_in_order')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_offerings_course_id_courses')),
    sa.ForeignKeyConstraint(['municipality_id'], ['organizations.id'], name=op.f('fk_offerings_municipality_id_organizations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offerings'))
    )
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offerings_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offerings_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offerings_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_offerings_status'), ['status'], unique=False)

    op.create_table('signatories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('name_ka', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('title_ka', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('signature_png', sa.LargeBinary(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_signatories_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatories'))
    )
    with op.batch_alter_table('signatories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatories_course_id'), ['course_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('full_name_ka', sa.String(length=200), nullable=False),
    sa.Column('full_name_en', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('gender', sa.String(length=10), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("gender IN ('female', 'male', 'other')", name=op.f('ck_users_gender')),
    sa.CheckConstraint("locale IN ('ka', 'en')", name=op.f('ck_users_locale')),
    sa.CheckConstraint("role IN ('admin', 'trainer', 'participant')", name=op.f('ck_users_role')),
    sa.CheckConstraint("sector IN ('civil_servant', 'cso', 'citizen', 'other')", name=op.f('ck_users_sector')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_users_organization_id_organizations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_full_name_en'), ['full_name_en'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_full_name_ka'), ['full_name_ka'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_role'), ['role'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('hint', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('max_score', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('pass_score', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.CheckConstraint('max_score > 0', name=op.f('ck_assessments_max_score_positive')),
    sa.CheckConstraint('pass_score >= 0 AND pass_score <= max_score', name=op.f('ck_assessments_pass_score_in_range')),
    sa.ForeignKeyConstraint(['offering_id'], ['offerings.id'], name=op.f('fk_assessments_offering_id_offerings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_offering_id'), ['offering_id'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_audit_entries_object', ['object_type', 'object_id'], unique=False)

    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=True),
    sa.Column('expert_name', sa.String(length=200), nullable=False),
    sa.Column('consulted_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_consultations_hours_not_negative')),
    sa.ForeignKeyConstraint(['expert_id'], ['users.id'], name=op.f('fk_consultations_expert_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_consultations_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_consulted_on'), ['consulted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_organization_id'), ['organization_id'], unique=False)

    op.create_table('enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('applied', 'waitlisted', 'accepted', 'rejected', 'withdrawn')", name=op.f('ck_enrollments_status')),
    sa.ForeignKeyConstraint(['offering_id'], ['offerings.id'], name=op.f('fk_enrollments_offering_id_offerings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_enrollments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollments')),
    sa.UniqueConstraint('offering_id', 'user_id', name=op.f('uq_enrollments_offering_id_user_id'))
    )
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollments_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollments_user_id'), ['user_id'], unique=False)

    op.create_table('offering_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_offering_sessions_ends_after_start')),
    sa.ForeignKeyConstraint(['offering_id'], ['offerings.id'], name=op.f('fk_offering_sessions_offering_id_offerings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offering_sessions'))
    )
    with op.batch_alter_table('offering_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_offering_sessions_offering_id_starts_at', ['offering_id', 'starts_at'], unique=False)

    op.create_table('offering_trainers',
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['offering_id'], ['offerings.id'], name=op.f('fk_offering_trainers_offering_id_offerings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_offering_trainers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offering_id', 'user_id', name=op.f('pk_offering_trainers'))
    )
    with op.batch_alter_table('offering_trainers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offering_trainers_user_id'), ['user_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('present', 'late', 'excused', 'absent')", name=op.f('ck_attendance_status')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_attendance_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_attendance_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['offering_sessions.id'], name=op.f('fk_attendance_session_id_offering_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'enrollment_id', name=op.f('uq_attendance_session_id_enrollment_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_enrollment_id'), ['enrollment_id'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=32), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('claims_json', sa.Text(), nullable=False),
    sa.Column('credential_jws', sa.Text(), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revocation_reason', sa.String(length=500), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('status_index', sa.Integer(), nullable=False),
    sa.Column('verification_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('valid', 'revoked', 'superseded')", name=op.f('ck_certificates_status')),
    sa.CheckConstraint('verification_count >= 0', name=op.f('ck_certificates_verification_count_not_negative')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_certificates_enrollment_id_enrollments')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['certificates.id'], name=op.f('fk_certificates_supersedes_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('pdf_sha256', name=op.f('uq_certificates_pdf_sha256')),
    sa.UniqueConstraint('serial', name=op.f('uq_certificates_serial')),
    sa.UniqueConstraint('status_index', name=op.f('uq_certificates_status_index')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_certificates_supersedes_id'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_issued_on'), ['issued_on'], unique=False)
        batch_op.create_index('uq_certificates_one_valid_per_enrollment', ['enrollment_id'], unique=True, sqlite_where=sa.text("status = 'valid'"), postgresql_where=sa.text("status = 'valid'"))

    op.create_table('results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score >= 0', name=op.f('ck_results_score_not_negative')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_results_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_results_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_results_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_results')),
    sa.UniqueConstraint('assessment_id', 'enrollment_id', name=op.f('uq_results_assessment_id_enrollment_id'))
    )
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_enrollment_id'), ['enrollment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_results_enrollment_id'))

    op.drop_table('results')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_one_valid_per_enrollment', sqlite_where=sa.text("status = 'valid'"), postgresql_where=sa.text("status = 'valid'"))
        batch_op.drop_index(batch_op.f('ix_certificates_issued_on'))
        batch_op.drop_index(batch_op.f('ix_certificates_enrollment_id'))

    op.drop_table('certificates')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_enrollment_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('offering_trainers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offering_trainers_user_id'))

    op.drop_table('offering_trainers')
    with op.batch_alter_table('offering_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_offering_sessions_offering_id_starts_at')

    op.drop_table('offering_sessions')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollments_user_id'))
        batch_op.drop_index(batch_op.f('ix_enrollments_status'))

    op.drop_table('enrollments')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_organization_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_consulted_on'))

    op.drop_table('consultations')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_object')
        batch_op.drop_index(batch_op.f('ix_audit_entries_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_offering_id'))

    op.drop_table('assessments')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_role'))
        batch_op.drop_index(batch_op.f('ix_users_organization_id'))
        batch_op.drop_index(batch_op.f('ix_users_full_name_ka'))
        batch_op.drop_index(batch_op.f('ix_users_full_name_en'))

    op.drop_table('users')
    with op.batch_alter_table('signatories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatories_course_id'))

    op.drop_table('signatories')
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offerings_status'))
        batch_op.drop_index(batch_op.f('ix_offerings_starts_on'))
        batch_op.drop_index(batch_op.f('ix_offerings_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_offerings_course_id'))

    op.drop_table('offerings')
    op.drop_table('signing_keys')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index('ix_organizations_name_en')
        batch_op.drop_index(batch_op.f('ix_organizations_kind'))

    op.drop_table('organizations')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courses_kind'))

    op.drop_table('courses')
