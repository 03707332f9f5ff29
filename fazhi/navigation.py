"""The main navigation, defined once: adding a page to the nav is one line in ``NAV``.

Each entry names its URL, who sees it, which views mark it as the current page, and optionally a badge
(a callable given the request, evaluated lazily so a page that does not render the nav pays nothing).
The template (templates/includes/nav.html) only loops over what ``nav_items`` returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

Audience = Callable[[object], bool]


def everyone(user) -> bool:
    return True


def coordinators(user) -> bool:
    return user.is_coordinator


def liaisons(user) -> bool:
    return user.is_liaison


def leaders(user) -> bool:
    return user.is_leader


def office_and_leaders(user) -> bool:
    return user.is_coordinator or user.is_leader


def superusers(user) -> bool:
    return user.is_superuser


def _review_badge(request: HttpRequest) -> str:
    from reports.badges import review_badge

    return review_badge(request)


def _review_badge_keys(request: HttpRequest) -> list[str]:
    from reports.badges import REVIEW_BADGE_KEYS

    return REVIEW_BADGE_KEYS


def _notice_badge(request: HttpRequest) -> str:
    from reports.badges import notice_badge

    return notice_badge(request)


def _notice_badge_keys(request: HttpRequest) -> list[str]:
    from reports.badges import notice_badge_keys

    return notice_badge_keys(request)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    show: Audience = everyone
    # View names ("app:name") or whole namespaces ("app:") that make this entry the current page.
    current: tuple[str, ...] = ()
    badge: Callable[[HttpRequest], str] | None = None
    badge_label: str = ""
    # The cache keys the badge reads: the header fetches them with its own cached part, in one round trip.
    badge_keys: Callable[[HttpRequest], list[str]] | None = None

    def __post_init__(self) -> None:
        if (self.badge is None) != (self.badge_keys is None):
            raise ValueError(f"{self.label}: a badge names the cache keys it reads (badge_keys), and only a badge does")

    def is_current(self, view_name: str) -> bool:
        patterns = self.current or (self.url_name,)
        return any(view_name == p or (p.endswith(":") and view_name.startswith(p)) for p in patterns)


NAV: list[NavItem] = [
    NavItem("工作要点", "tasks:plan_list", current=("tasks:plan_list", "tasks:plan_detail", "tasks:plan_create",
                                                   "tasks:plan_edit", "reports:periods")),
    NavItem("任务查询", "tasks:item_search",
            current=("tasks:item_search", "tasks:item_detail", "reports:item_reports")),
    NavItem("本单位任务", "tasks:my_unit_items", show=liaisons),
    NavItem("单位库", "tasks:unit_list", current=("tasks:unit_list", "tasks:unit_edit", "tasks:unit_create",
                                                "tasks:group_list", "tasks:group_edit", "tasks:group_create")),
    NavItem("导入", "tasks:import_upload", show=coordinators, current=("tasks:import_upload", "tasks:import_preview")),
    NavItem("驾驶舱", "dashboard:home", current=("dashboard:",)),
    NavItem("我的待办", "reports:todo", show=liaisons, current=("reports:todo", "reports:edit", "reports:detail",
                                                             "reports:history")),
    NavItem("本单位年度报告", "reports:annual_mine", show=liaisons,
            current=("reports:annual_mine", "reports:annual_edit")),
    NavItem("审核", "reports:review_queue", show=coordinators, badge=_review_badge, badge_label="份报告待审核",
            badge_keys=_review_badge_keys),
    NavItem("催办", "reports:reminders", show=coordinators),
    NavItem("年度报告", "reports:annual_list", show=office_and_leaders,
            current=("reports:annual_list", "reports:annual_edit")),
    NavItem("政府报告", "govreport:list", current=("govreport:",)),
    NavItem("考核", "assessment:index", current=("assessment:",)),
    NavItem("通知", "reports:notices", badge=_notice_badge, badge_label="条未读通知",
            badge_keys=_notice_badge_keys),
    NavItem("用户", "accounts:user_list", show=coordinators, current=("accounts:user_list", "accounts:user_create",
                                                                    "accounts:user_edit", "accounts:lockout_list")),
    NavItem("审计", "audit:log", show=coordinators),
    NavItem("后台", "admin:index", show=superusers),
]


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool
    badge: object
    badge_label: str
    badge_keys: Callable[[HttpRequest], list[str]] | None = None

    @property
    def slot(self) -> SafeString:
        """Where the cached header's badge goes (filled per request by ``header_html``); "" without a badge."""
        # Decided by whether the entry has a badge at all, never by its value (the lazy count is read after the
        # part is fetched, and a part cached while the count was 0 must still show a later count).
        return mark_safe(f"<!--fazhi:badge:{self.url}-->" if self.badge_keys is not None else "")

    def badge_html(self) -> str:
        value = str(self.badge)
        if not value:
            return ""
        return format_html(' <span class="badge"><span class="sr-only">，</span>{}<span class="sr-only">{}</span>'
                           '</span>', value, self.badge_label)


class NavLinks(list):
    """The links, plus what the phone's folded 菜单 button shows: the sum of the badges, so a count hidden
    behind the button is still seen. Read from the same lazy badges the links show (no query of its own)."""

    def _counts(self) -> list[tuple[str, NavLink]]:
        return [(str(link.badge), link) for link in self if link.badge]

    @property
    def badge_total(self) -> str:
        counts = self._counts()
        if not counts:
            return ""
        # A capped badge ("99+") keeps its "+" in the total: the sum is then a lower bound.
        total = sum(int(value.rstrip("+")) for value, _ in counts)
        return f"{total}+" if any(value.endswith("+") for value, _ in counts) else str(total)

    @property
    def badge_total_label(self) -> str:
        """Spoken on the 菜单 button: "3 条未读通知，10 份报告待审核"."""
        return "，".join(f"{value} {link.badge_label}" for value, link in self._counts())

    def badge_total_html(self) -> str:
        total = self.badge_total
        if not total:
            return ""
        return format_html('\n      <span class="badge" aria-hidden="true">{}</span><span class="sr-only">，{}</span>',
                           total, self.badge_total_label)


TOTAL_SLOT = "<!--fazhi:badge-total-->"


# The nav's addresses never change while the process runs (for one script prefix): reversed once each.
_URLS: dict[tuple[str, str], str] = {}


def _url(name: str) -> str:
    key = (get_script_prefix(), name)
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(name)
    return url


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def nav_items(request: HttpRequest) -> NavLinks:
    user = request.user
    view_name = _view_name(request)
    links = NavLinks()
    for item in NAV:
        if not item.show(user):
            continue
        badge = SimpleLazyObject(lambda item=item: item.badge(request)) if item.badge else ""
        links.append(NavLink(item.label, _url(item.url_name), item.is_current(view_name), badge, item.badge_label,
                             item.badge_keys))
    return links


def header_html(request: HttpRequest) -> SafeString:
    """The signed-in header (nav with badges, account menu), rendered once per everything it shows.

    The key names each input of ``includes/header.html``: the user's name, role, unit and superuser flag (so
    an edit of the user or unit shows at once, as the cached user does) and the current page. The badges are
    not in it: the part holds a slot for each, filled per request with counts read in the same cache round
    trip as the part (``badge_keys``). The logout form's CSRF token is the viewer's own (``fazhi.fragments``)."""
    from fazhi.fragments import cached_part, render_part

    user = request.user
    links = nav_items(request)
    unit = user.unit
    key = ("header", user.pk, user.display_name, user.role, user.is_superuser,
           unit.pk if unit else "", unit.name if unit else "", unit.short_name if unit else "",
           _view_name(request))
    badge_keys = [k for link in links if link.badge_keys for k in link.badge_keys(request)]
    html = cached_part(request, key, lambda: render_part("includes/header.html", {"links": links, "user": user}),
                       also=badge_keys)
    for link in links:
        if link.slot:
            html = html.replace(link.slot, link.badge_html())
    return mark_safe(html.replace(TOTAL_SLOT, links.badge_total_html()))
