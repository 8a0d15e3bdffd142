"""Personal data the schools network holds: each school's sanctuary leads (name, role, work email, phone), the
notes and appraisal panels of the journey's moves, which EMAS type and which may name people, and each school's
award workspace: the evidence its leads add (which may name staff or groups, and photos) and their sign-in links.

A lead's details are kept while they are the school's lead, because renewal reminders go to them every three
years; EMAS remove a lead who leaves (the school's edit form), and an erasure request removes them at once.
Contacts are deleted, not anonymised: a contact with no name or address serves nothing. The evidence belongs to
the school, not to the lead who typed it: erasing a lead leaves it, without their name. Two retention rules: a
school that has left the network (its award lapsed) loses its workspace evidence SCHOOL_EVIDENCE_RETENTION_DAYS
later, and sign-in links (stored as hashes) go SCHOOL_SIGN_IN_LINK_RETENTION_DAYS after they were made.
"""

from datetime import timedelta

from wagtail.log_actions import log

from privacy.registry import RetentionRule, redact

from .journey import JourneyStatus
from .models import Evidence, LeadSignInLink, School, SchoolContact


def _evidence_of_schools_that_left(days, now, dry_run):
    """Evidence (and its files) of schools whose award lapsed more than `days` ago and that have not restarted."""
    cutoff = (now - timedelta(days=days)).date()
    entries = Evidence.objects.filter(school__status=JourneyStatus.LAPSED, school__status_changed_on__lt=cutoff)
    count = entries.count()
    if not dry_run:
        for entry in entries.prefetch_related("files"):
            entry.delete()  # one by one, so each file's bytes are deleted with its row (models.py's signal)
    return count


def _old_sign_in_links(days, now, dry_run):
    links = LeadSignInLink.objects.filter(created_at__lt=now - timedelta(days=days))
    return links.count() if dry_run else links.delete()[0]


RETENTION_RULES = [
    RetentionRule(
        "school evidence",
        "workspace evidence deleted (days after the school's award lapsed)",
        "SCHOOL_EVIDENCE_RETENTION_DAYS",
        _evidence_of_schools_that_left,
    ),
    RetentionRule(
        "school sign-in links",
        "sign-in links deleted (days after they were made)",
        "SCHOOL_SIGN_IN_LINK_RETENTION_DAYS",
        _old_sign_in_links,
    ),
]


def _contacts(email):
    return SchoolContact.objects.filter(email__iexact=email).select_related("school").order_by("school__name", "pk")


def _schools_mentioning(email):
    """Schools whose appraisal panel names the address (EMAS may have typed one there)."""
    return School.objects.filter(appraisal_panel__icontains=email)


def export(email):
    return {
        "school_contacts": [
            {
                "school": contact.school.name,
                "name": contact.name,
                "role": contact.role,
                "email": contact.email,
                "phone": contact.phone,
            }
            for contact in _contacts(email)
        ],
        "sign_in_links": [
            {
                "school": link.lead.school.name,
                "made": link.created_at.isoformat(),
                "used": link.used_at.isoformat() if link.used_at else None,
            }
            for link in LeadSignInLink.objects.filter(lead__in=_contacts(email)).select_related("lead__school")
        ],
        "workspace_evidence_added": [
            {
                "school": entry.school.name,
                "criterion": entry.criterion.number,
                "when": entry.done_on.isoformat(),
                "what_was_done": entry.what_was_done,
                "who_took_part": entry.who_took_part,
                "impact": entry.impact,
                "link": entry.link,
                "files": [attached.name for attached in entry.files.all()],
            }
            for entry in Evidence.objects.filter(added_by__in=_contacts(email))
            .select_related("school", "criterion")
            .prefetch_related("files")
        ],
        "appraisal_panels_mentioning_the_address": [
            {"school": school.name, "appraisal_panel": school.appraisal_panel} for school in _schools_mentioning(email)
        ],
    }


def erase(email):
    """Delete the person's contact rows (the school keeps its other leads) and redact the address where typed."""
    contacts = list(_contacts(email))
    links = LeadSignInLink.objects.filter(lead__in=contacts).count()  # deleted with the contacts
    for contact in contacts:
        log(contact.school, "privacy.erase", data={"what": "school contact deleted"})
    SchoolContact.objects.filter(pk__in=[contact.pk for contact in contacts]).delete()
    redacted = 0
    for school in _schools_mentioning(email):
        School.objects.filter(pk=school.pk).update(appraisal_panel=redact(school.appraisal_panel, email))
        log(school, "privacy.erase", data={"what": "address redacted from the appraisal panel"})
        redacted += 1
    return {
        "school contacts deleted": len(contacts),
        "sign-in links deleted": links,
        "appraisal panels redacted": redacted,
    }
