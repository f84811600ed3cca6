"""Models to JSON, with the field names API.md fixes."""


def json_number(value):
    """A number as JSON writes it everywhere in the API: 16, not 16.0; 7.5 as 7.5."""
    if value is None:
        return None
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def _iso(value):
    return value.isoformat() if value is not None else None


def organization_json(o):
    return {
        'id': o.id,
        'name_ka': o.name_ka,
        'name_en': o.name_en,
        'kind': o.kind,
        'region': o.region,
    }


def consultation_json(c):
    return {
        'id': c.id,
        'organization_id': c.organization_id,
        'expert': c.expert_name,
        'held_on': c.consulted_on.isoformat(),
        'topic': c.topic,
        'hours': json_number(c.hours),
        'notes': c.notes,
    }


def user_json(u):
    return {
        'id': u.id,
        'email': u.email,
        'full_name_ka': u.full_name_ka,
        'full_name_en': u.full_name_en,
        'role': u.role,
        'sector': u.sector,
        'organization_id': u.organization_id,
        'position': u.position,
        'gender': u.gender,
        'is_active': u.is_active,
    }


def course_json(c):
    return {
        'id': c.id,
        'code': c.code,
        'title_ka': c.title_ka,
        'title_en': c.title_en,
        'description_ka': c.description_ka,
        'description_en': c.description_en,
        'kind': c.kind,
        'hours': json_number(c.hours),
        'min_attendance_pct': c.min_attendance_pct,
        'grants_certificate': c.grants_certificate,
        'validity_months': c.validity_months,
    }


def offering_json(o):
    return {
        'id': o.id,
        'course_id': o.course_id,
        'starts_on': _iso(o.starts_on),
        'ends_on': _iso(o.ends_on),
        'location': o.location,
        'location_en': o.location_en,
        'municipality_id': o.municipality_id,
        'format': o.format,
        'capacity': o.capacity,
        'applications_open_on': _iso(o.applications_open_on),
        'applications_close_on': _iso(o.applications_close_on),
        'status': o.status,
        'trainer_ids': sorted(t.id for t in o.trainers),
    }


def session_json(s):
    return {
        'id': s.id,
        'offering_id': s.offering_id,
        'starts_at': _iso(s.starts_at),
        'ends_at': _iso(s.ends_at),
        'topic': s.topic,
        'hours': json_number(s.hours),
    }


def assessment_json(a):
    return {
        'id': a.id,
        'offering_id': a.offering_id,
        'title': a.title,
        'max_score': json_number(a.max_score),
        'pass_score': json_number(a.pass_score),
        'required': a.required,
    }


def enrollment_json(e):
    return {
        'id': e.id,
        'offering_id': e.offering_id,
        'user_id': e.user_id,
        'status': e.status,
        'applied_at': _iso(e.applied_at),
        'decided_at': _iso(e.decided_at),
    }
