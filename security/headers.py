"""Site-wide security plumbing: the Content-Security-Policy split between public pages and the admin,
and the admin login page shown when django-axes locks an account out.

The public site runs no inline script or style, so its policy allows neither. The Wagtail admin (and the
page previews it renders) uses inline scripts and styles of its own, so it gets a looser policy of its own,
chosen by path; the public policy is never loosened for it.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.shortcuts import render

from .public_input import safe_next_url


def is_admin_path(path):
    return any(path.startswith(prefix) for prefix in settings.CSP_ADMIN_PATH_PREFIXES)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with `CSP_ADMIN_POLICY` instead of the public policy on admin paths.

    Views that set a stricter policy of their own (Wagtail's document view, our image files) keep it, but
    never without `frame-ancestors`, which their sandbox policies leave out: no public URL may be framed.
    """

    def process_response(self, request, response):
        own_policy = response.get("Content-Security-Policy")
        response = super().process_response(request, response)
        if own_policy and "frame-ancestors" not in own_policy and not is_admin_path(request.path_info):
            response["Content-Security-Policy"] = own_policy.rstrip("; ") + "; frame-ancestors 'none'"
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.CSP_ADMIN_POLICY
        return parts


LOCKOUT_MESSAGE = (
    "Too many failed sign-in attempts for this account from your network. For your security, sign-in is "
    "paused for {minutes} minutes, even with the right password. Try again later, or ask another "
    "administrator to unlock the account."
)


def admin_lockout_response(request, original_response=None, credentials=None):
    """The Wagtail sign-in page again, with a message that says why sign-in is refused (HTTP 429)."""
    from wagtail.admin.forms.auth import LoginForm
    from wagtail.admin.views.account import password_reset_enabled

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    messages.error(request, LOCKOUT_MESSAGE.format(minutes=minutes))
    context = {
        "form": LoginForm(request=request),
        "next": safe_next_url(request),
        "show_password_reset": password_reset_enabled(),
    }
    return render(request, "wagtailadmin/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
