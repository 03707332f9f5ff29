"""Shared pieces of the hostile-input property tests: the hostile samples, hypothesis settings, a reader for
a page's form fields, and snapshots of the rows a rejected submission must leave untouched."""

from __future__ import annotations

from html.parser import HTMLParser

from django.apps import apps
from django.contrib.messages import constants
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

HOSTILE_SAMPLES = [
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE tasks_plan; --",
    "1 OR 1=1", "\x00", "a\x00b", "\x01\x02\x1b[31m\x7f", "\u202e\u200b\ufeff", "{{ 7*7 }}{% debug %}",
    "../../etc/passwd", "=HYPERLINK(\"http://x\")", "９９９９９９９９９９９９９９９９９９", "-1", "1e309", "NaN",
    "x" * 5000, "法" * 20000, "\r\n" * 200, " ", "",
]
HOSTILE = st.one_of(st.sampled_from(HOSTILE_SAMPLES), st.text(max_size=200),
                    st.text(alphabet=st.characters(codec="utf-8"), max_size=50))
# derandomize: the same examples on every run, so CI cannot flake and a failure reproduces.
SETTINGS = settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def counts(labels: list[str]) -> dict[str, int]:
    result = {}
    for label in labels:
        try:
            result[label] = apps.get_model(label)._default_manager.count()
        except LookupError:
            continue
    return result


def snapshot(labels: list[str]) -> dict[str, list[tuple]]:
    """Every row of the watched models, every column: catches an edit form that half-saves an existing row,
    which row counts alone would miss. ``app.Model_field`` names an automatic many-to-many table."""
    rows = {}
    for label in labels:
        model = apps.get_model(label)
        names = [f.attname for f in model._meta.concrete_fields]
        rows[label] = sorted(model._default_manager.order_by("pk").values_list(*names), key=repr)
    return rows


def error_flashed(response) -> bool:
    """Redirect-only actions report a refusal as an error message on the next page. Only messages added by
    this request count: earlier ones wait unread in the session because tests do not follow redirects."""
    return any(m.level >= constants.ERROR for m in response.wsgi_request._messages._queued_messages)


class Fields(HTMLParser):
    """Every named field inside <main> (the header's logout form is outside it), with its default value."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self.choices: set[str] = set()  # selects, checkboxes, radios, hidden, number and date fields
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a and name in self.data:
                return
            self.data[name] = a.get("value", "")
            if a.get("type") in ("checkbox", "radio", "hidden", "number", "date"):
                self.choices.add(name)
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.choices.add(name)
        elif tag == "option" and self._select and (self._select not in self.data or "selected" in a):
            self.data[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data


def page_form(client, url: str, form_action: str | None = None) -> Fields:
    """The fields of the page's forms (only the form posting to ``form_action`` when given)."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode().split("<main", 1)[-1]
    if form_action is not None:
        html = next(part for part in html.split("<form")[1:] if f'action="{form_action}"' in part.split(">", 1)[0])
        html = "<form" + html.split("</form>", 1)[0]
    reader = Fields()
    reader.feed(html)
    return reader


def page_fields(client, url: str, form_action: str | None = None) -> dict[str, str]:
    return page_form(client, url, form_action).data
