"""A cap on the size of request bodies, enforced before anything reads them.

Why: Django streams a multipart upload to a temporary file before any view can refuse it, and
DATA_UPLOAD_MAX_MEMORY_SIZE counts only form fields, never files; gunicorn has no body limit at all. So a
400 MB POST would be read to disk (by every worker it reaches) before it is turned away. This middleware
comes first and answers 413 from the declared Content-Length alone. Bodies without one (chunked) are read
by Django as empty, so they cannot slip past. The proxy in front caps bodies as well (docs/deployment.md).
"""

from django.conf import settings
from django.http import HttpResponse

TOO_LARGE_MESSAGE = (
    "Sorry, what you sent is too large for us to accept (the limit is {limit} MB). "
    "Please send smaller files, one at a time."
)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads such a body as empty too
        limit = settings.REQUEST_BODY_MAX_BYTES
        if declared > limit:
            message = TOO_LARGE_MESSAGE.format(limit=limit // (1024 * 1024))
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
