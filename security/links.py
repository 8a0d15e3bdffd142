"""Web links typed by the public, read the way a browser reads them.

A link is shown as "Visit <host>", so the host we show must be the host the browser opens. Python's
`urlsplit` and Django's `URLValidator` do not parse like browsers: `http://evil.com\\@good.com` is host
`good.com` to them and `evil.com` to every browser (the WHATWG URL standard treats a backslash as a slash
in http(s) URLs, so the authority ends before the `@`). `web_link()` therefore first does what the standard
does to the text, then parses, then refuses what could still mislead:

- leading and trailing spaces and control characters are stripped; tabs and line breaks anywhere removed;
- before the query, every backslash becomes a slash, and any run of slashes after `http:` is one `//`;
- userinfo (`user:password@`) is refused: it only serves to make a link look like another site;
- the host is percent-free, IDNA-encoded (punycode, `xn--…`, is what we store and show: `аррӏе.com`, in
  Cyrillic, is shown as `xn--80ak6aa92e.com`, never as a look-alike of apple.com), and made of valid labels;
  the four characters IDNA 2003 and browsers map differently (ß, ς, zero-width joiners) are refused;
- a host that a browser would read as an IPv4 address (`0x7f.1`, `2130706433`) must be written as one.

The stored link is rebuilt from the parts, so the href and the "Visit" text come from the same host.
"""

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError

ALLOWED_SCHEMES = {"http", "https"}
LINK_MAX_LENGTH = 500
# Characters that IDNA 2003 (Python's codec) maps away but browsers (UTS #46, non-transitional) keep, so the
# two would name different hosts.
_IDNA_DEVIATIONS = set("\u00df\u03c2\u200c\u200d")
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))

NOT_A_LINK = "Enter a web address, like https://www.example.org/page."
SCHEME_NEEDED = "Links must start with https:// or http://."
NO_USERINFO = "Links cannot contain a name or password before the site's address (the part before an @)."
BAD_HOST = "That web address's site name is not valid. Check the part after https://."


def web_link(value):
    """The link a browser would open for `value`, rebuilt in plain form, or ValidationError.

    "" stays "". A missing scheme means https (as the post form always said).
    """
    text = (value or "").strip(_C0_AND_SPACE)
    text = text.replace("\t", "").replace("\n", "").replace("\r", "")
    if not text:
        return ""
    if len(text) > LINK_MAX_LENGTH:
        raise ValidationError(f"Links can be up to {LINK_MAX_LENGTH} characters long.")
    if not text.isprintable() or any(ch.isspace() for ch in text):
        raise ValidationError(NOT_A_LINK)
    cut = min((index for index in (text.find("?"), text.find("#")) if index >= 0), default=len(text))
    text = text[:cut].replace("\\", "/") + text[cut:]
    scheme, colon, rest = text.partition(":")
    if not colon or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme) or rest.startswith(tuple("0123456789")):
        # No scheme ("www.example.org/page"), or "example.org:8080/…": the form assumes https.
        scheme, rest = "https", text
    scheme = scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise ValidationError(SCHEME_NEEDED)
    try:
        parts = urlsplit(f"{scheme}://{rest.lstrip('/')}")
    except ValueError as error:  # e.g. an unclosed "[" of an IPv6 address
        raise ValidationError(BAD_HOST) from error
    if "@" in parts.netloc:
        raise ValidationError(NO_USERINFO)
    host, port = _split_port(parts.netloc)
    host = _browser_host(host)
    netloc = f"[{host}]" if ":" in host else host
    if port and (scheme, port) not in {("http", "80"), ("https", "443")}:
        netloc = f"{netloc}:{port}"
    link = urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))
    if len(link) > LINK_MAX_LENGTH:
        raise ValidationError(f"Links can be up to {LINK_MAX_LENGTH} characters long.")
    return link


def link_host(value):
    """The host a browser opens for a stored link ("" when it is no longer acceptable, e.g. an old row)."""
    try:
        link = web_link(value)
    except ValidationError:
        return ""
    return urlsplit(link).hostname or "" if link else ""


def _split_port(netloc):
    if netloc.startswith("["):
        host, bracket, after = netloc[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            raise ValidationError(BAD_HOST)
        port = after[1:]
    else:
        host, _, port = netloc.partition(":")
    if port and not (port.isdigit() and port.isascii() and 0 < int(port) < 65536):
        raise ValidationError(BAD_HOST)
    return (f"[{host}]" if netloc.startswith("[") else host), (str(int(port)) if port else "")


def _browser_host(host):
    """The host in the ASCII form the browser uses, or ValidationError."""
    if host.startswith("[") and host.endswith("]"):
        try:
            return ipaddress.IPv6Address(host[1:-1]).compressed
        except ValueError as error:
            raise ValidationError(BAD_HOST) from error
    if not host or "%" in host or _IDNA_DEVIATIONS & set(host):
        raise ValidationError(BAD_HOST)
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise ValidationError(BAD_HOST) from error
    ascii_host = ascii_host.removesuffix(".")
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValidationError(BAD_HOST)
    last = labels[-1]
    if last.isdigit() or last.startswith("0x"):
        # Browsers read the whole host as an IPv4 address (in decimal, octal or hex): accept only the plain form.
        try:
            address = ipaddress.IPv4Address(ascii_host)
        except ValueError as error:
            raise ValidationError(BAD_HOST) from error
        return str(address)
    if len(labels) < 2:
        raise ValidationError(BAD_HOST)
    return ascii_host


class WebLinkField(forms.CharField):
    """A link as the browser will open it (security/links.py): the stored value is the browser's reading."""

    widget = forms.URLInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", LINK_MAX_LENGTH)
        super().__init__(**kwargs)

    def to_python(self, value):
        return web_link(super().to_python(value))
