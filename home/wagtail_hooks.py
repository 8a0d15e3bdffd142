"""Admin hooks of the base app: what it holds about people (enquiries, accounts, the audit log, sessions) and
its part of the site's structure, found through the hooks the privacy app and `load_site_structure` call."""

from wagtail import hooks

from . import personal_data

hooks.register("register_personal_data", lambda: personal_data)
