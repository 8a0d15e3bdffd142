"""Personal data the schools network holds: each school's sanctuary leads (name, role, work email, phone), and the
notes and appraisal panels of the journey's moves, which EMAS type and which may name people.

No retention rule: a lead's details are kept while they are the school's lead, because renewal reminders go to them
every three years; EMAS remove a lead who leaves (the school's edit form), and an erasure request removes them at
once. Contacts are deleted, not anonymised: a contact with no name or address serves nothing.
"""

from wagtail.log_actions import log

from privacy.registry import redact

from .models import School, SchoolContact

RETENTION_RULES = []


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
        "appraisal_panels_mentioning_the_address": [
            {"school": school.name, "appraisal_panel": school.appraisal_panel} for school in _schools_mentioning(email)
        ],
    }


def erase(email):
    """Delete the person's contact rows (the school keeps its other leads) and redact the address where typed."""
    contacts = list(_contacts(email))
    for contact in contacts:
        log(contact.school, "privacy.erase", data={"what": "school contact deleted"})
    SchoolContact.objects.filter(pk__in=[contact.pk for contact in contacts]).delete()
    redacted = 0
    for school in _schools_mentioning(email):
        School.objects.filter(pk=school.pk).update(appraisal_panel=redact(school.appraisal_panel, email))
        log(school, "privacy.erase", data={"what": "address redacted from the appraisal panel"})
        redacted += 1
    return {"school contacts deleted": len(contacts), "appraisal panels redacted": redacted}
