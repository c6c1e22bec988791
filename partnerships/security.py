"""The Content-Security-Policy header on every response; the client address for the login throttle.

Django's SecurityMiddleware sets HSTS, nosniff, the referrer policy and the
cross-origin opener policy, and XFrameOptionsMiddleware denies framing; a
Content-Security-Policy is the one header it lacks (before Django 6.0). The
policy is fixed, so a few lines here do what django-csp would, without a
dependency.

The public site runs no script of its own: `script-src` falls back to
`default-src 'none'`, so even markup that slipped through escaping could not
run. A page that needs one of the site's script files says so itself by
setting its own header from PUBLIC_POLICY (the map does). The admin runs
Django's own script files (autocomplete, inlines, collapsible fieldsets,
prepopulated slugs) and fetches autocomplete results, so under /admin/
scripts and requests to the site's own origin are allowed — still no inline
script or style and no `javascript:` URL, which Django's admin does not need
(its scripts are files that read their data from data- attributes). Images
may also be data: URLs (the admin's widgets draw a few).

Why not django-csp. Its middleware takes the policy from a settings dict and
offers per-view decorators (`csp_override`, `csp_update`), nonces for inline
scripts, report-only policies and report URIs. We need none of those extras:
the site runs no inline script, so there is nothing to give a nonce, and it
collects no reports. What we do need, one policy for the public site and
another for everything under /admin/, it has no setting for: Django's admin
views cannot be decorated one by one, so it would take a subclass of its
middleware choosing the policy by path, about as long as the class below,
plus a dependency and its settings. Django 6.0 builds the same thing in
(`SECURE_CSP` and its own middleware); that is the one to move to.
"""

from django.conf import settings
from django.urls import reverse

_COMMON = (
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
)
PUBLIC_POLICY = "; ".join(_COMMON)
ADMIN_POLICY = "; ".join((*_COMMON, "script-src 'self'", "connect-src 'self'"))


class ContentSecurityPolicyMiddleware:
    """Sets the policy unless the view has set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        policy = ADMIN_POLICY if request.path.startswith(self.admin_prefix) else PUBLIC_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


def client_ip(request):
    """The client's address, for the login throttle (django-axes).

    Behind settings.PROXY_COUNT proxies that each append the address they
    saw to X-Forwarded-For, the client is the one the outermost proxy saw;
    whatever the client itself put in front is ignored. Without proxies it
    is the connection's address.
    """
    count = settings.PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
