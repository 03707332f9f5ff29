from functools import partial

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict[str, object]:
    from fazhi.navigation import header_html, nav_items

    # fazhi_site_name: Django's LoginView puts the host name into "site_name", which would win on the login page.
    context: dict[str, object] = {"site_name": settings.FAZHI_SITE_NAME, "fazhi_site_name": settings.FAZHI_SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav_items"] = SimpleLazyObject(lambda: nav_items(request))
        # Called by the template only where the header is shown (base.html), cached (fazhi.navigation).
        context["site_header"] = partial(header_html, request)
    return context
