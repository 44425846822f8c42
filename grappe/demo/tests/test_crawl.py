"""Nothing broken a click away: each kind of reader (a visitor and the demo logins) walks the
small demo from the pages they start from, following every link of every page, submitting every
GET form as it stands and fetching what its `hx-get` attributes fetch, and no link leads to a
server error or a missing page, and every download answers with its file.

The walk is breadth first and samples: at most `PER_SHAPE` pages of one shape (the route a URL
resolves to, its file extension and its query keys), so every kind of page is opened without
opening every event; it also starts from one event of each kind and one file of each stage,
whose pages link to different places. Everything is read in French, then one page of each shape
again in English. A reader's failures are collected and shown at once, each with the page that
linked to it."""

from __future__ import annotations

import traceback
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve, reverse

from grappe.demo.tests.support import demo_in_transaction
from grappe.events.models import EventStatus
from grappe.events.selectors.calendar import visible_events
from grappe.members.models import Membership
from grappe.projects.models import Assignment, LabellingRequest

pytestmark = pytest.mark.django_db

MAX_PAGES = 450  # per reader
PER_SHAPE = 3  # pages of one shape
PER_DOWNLOAD_SHAPE = 1  # files are rendered (PDF): one of each kind is enough
SKIPPED_PREFIXES = ("/logout", "/accounts/logout", "/admin/", "/i18n/", "/static/")
PUBLIC = ["/", "/directory/", "/directory/map/", "/events/", "/figures/", "/projects/",
          "/projects/sessions/", "/members/join/"]  # fmt: skip
CONTACT = ["/dashboard/", "/members/me/", "/events/my/", "/projects/mine/"]
STARTS = {
    "visitor": PUBLIC,
    "registered": [*PUBLIC, *CONTACT],
    "member": [*PUBLIC, *CONTACT],
    "org_admin": [*PUBLIC, *CONTACT],
    "expert": [*PUBLIC, "/dashboard/", "/projects/experts/"],
    "staff": [
        *PUBLIC,
        "/dashboard/",
        "/staff/",
        "/staff/events/",
        "/staff/data/",
        "/figures/staff/",
        "/projects/staff/sessions/",
        "/projects/staff/portfolio/",
        "/projects/staff/experts/",
        "/projects/staff/rules/",
    ],
}
PDF, CSV, ICS = "application/pdf", "text/csv", "text/calendar"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {".pdf": PDF, ".csv": CSV, ".xlsx": XLSX, ".ics": ICS}
REDIRECTS = (301, 302, 303, 307, 308)
HX = "HX "
Shape = tuple[str, str, tuple[str, ...]]


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo with all its parts, loaded in a transaction that this module's tests share
    (each runs in a savepoint inside it), rolled back when the module is done; the files'
    documents go to a temporary folder, which the walk reads them from."""
    private = tmp_path_factory.mktemp("private")
    with (
        override_settings(GRAPPE_PRIVATE_ROOT=str(private)),
        demo_in_transaction(django_db_blocker, size="small") as summary,
    ):
        summary.private_root = private  # type: ignore[attr-defined]
        yield summary


class Targets(HTMLParser):
    """Where a page leads by GET: its links, the addresses it gives to copy, its GET forms
    submitted as they stand (with each submit button's own `formaction`), and the partial
    pages its `hx-get` attributes fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.htmx: list[str] = []  # what `hx-get` asks for, as HTMX does
        self.form: dict[str, Any] | None = None
        self.select: dict[str, Any] | None = None
        self.textarea: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        elif tag == "input" and "readonly" in a and a.get("value", "").startswith("http"):
            self.hrefs.append(a["value"])  # an address to copy (a calendar feed)
        elif tag == "form":
            get = a.get("method", "get").lower() == "get"
            self.form = (
                {"action": a.get("action", ""), "fields": [], "actions": []} if get else None
            )
        if self.form is not None and tag != "form":
            self._field(tag, a)
        if a.get("hx-get"):
            if tag == "form" and self.form is not None:
                self.form["htmx"] = a["hx-get"]  # the form's fields go with the request
            else:
                self.htmx.append(a["hx-get"])

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self.form is not None
        kind = a.get("type", "submit" if tag == "button" else "text").lower()
        if kind in ("submit", "image") and tag in ("input", "button"):
            if "formaction" in a:
                self.form["actions"].append(a["formaction"])
        elif tag == "input" and "name" in a and kind not in ("button", "reset", "file"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                self.form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select" and "name" in a:
            self.select = {"name": a["name"], "first": None, "selected": None}
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select["first"] = value if self.select["first"] is None else self.select["first"]
            if "selected" in a:
                self.select["selected"] = value
        elif tag == "textarea" and "name" in a:
            self.textarea = [a["name"], ""]

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if self.form is None:
            return
        if tag == "select" and self.select is not None:
            value = self.select["selected"] or self.select["first"] or ""
            self.form["fields"].append((self.select["name"], value))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form["fields"].append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form":
            query = urlencode(self.form["fields"])
            for action in [self.form["action"], *self.form["actions"]]:
                self.hrefs.append(f"{action.split('?')[0]}?{query}")
            if "htmx" in self.form:
                self.htmx.append(f"{self.form['htmx'].split('?')[0]}?{query}")
            self.form = None


def internal(base: str, href: str) -> str | None:
    """The path and query a link leads to on this site, or None (elsewhere, a fragment, an
    action the walk must not take)."""
    href = href.strip()
    if href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def htmx_split(url: str) -> tuple[str, bool]:
    """The walk writes an HTMX request as "HX <url>"."""
    return (url[len(HX) :], True) if url.startswith(HX) else (url, False)


def url_name(path: str) -> str:
    try:
        return resolve(path).url_name or ""
    except Resolver404:
        return ""


def expected_type(url: str) -> str | None:
    """The content type a download must answer with; None for a page."""
    path = urlsplit(htmx_split(url)[0]).path
    last = path.rstrip("/").rsplit("/", 1)[-1]
    for extension, content_type in EXTENSIONS.items():
        if last.endswith(extension):
            return content_type
    if last == "pdf" or url_name(path) == "document_download":
        return PDF
    return None


def shape(url: str) -> Shape:
    """The kind of page a URL is: the route it resolves to (ids and slugs as placeholders), its
    file extension and its query keys (and whether HTMX asks for it)."""
    url, htmx = htmx_split(url)
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    last = parts.path.rsplit("/", 1)[-1]
    extension = (last.rsplit(".", 1)[-1] if "." in last else "") + (" hx" if htmx else "")
    keys = tuple(sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)}))
    return route, extension, keys


@dataclass
class Walk:
    client: Client
    failures: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    per_shape: dict[Shape, int] = field(default_factory=dict)
    english: dict[Shape, tuple[str, str]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    pages: int = 0
    left: int = 0  # pages still to open when the cap stopped the walk

    def fail(self, url: str, language: str, linked_from: str, what: str) -> None:
        self.failures.append(f"[{language}] {url}  ←  {linked_from}: {what}")

    def get(self, url: str, language: str, linked_from: str) -> Any:
        """The response, or None after recording the server error it raised."""
        self.client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        path, htmx = htmx_split(url)
        try:
            return self.client.get(path, headers={"HX-Request": "true"} if htmx else {})
        except Exception as error:  # the test client re-raises a view's exception
            frames = traceback.extract_tb(error.__traceback__)[-3:]
            where = " <- ".join(f"{f.filename.split('/grappe/')[-1]}:{f.lineno} {f.name}"
                                for f in reversed(frames))  # fmt: skip
            self.fail(url, language, linked_from, f"500 {type(error).__name__}: {error} [{where}]")
            return None

    def check(self, url: str, language: str, linked_from: str) -> Any:
        """Open a URL and record what is broken; the response if it is not."""
        response = self.get(url, language, linked_from)
        if response is None:
            return None
        status = response.status_code
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500 or status == 404:
            self.fail(url, language, linked_from, str(status))
            return None
        wanted = expected_type(url)
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if wanted is not None and (status != 200 or content_type != wanted):
            self.fail(url, language, linked_from, f"{status} {content_type}, not {wanted}")
            return None
        return response

    def admit(self, url: str, *, seed: bool = False) -> bool:
        """Whether the walk opens this URL: new, and its shape not sampled enough yet (a seed
        is opened whatever its shape)."""
        if url in self.seen:
            return False
        kind = shape(url)
        limit = PER_DOWNLOAD_SHAPE if expected_type(url) else PER_SHAPE
        if self.per_shape.get(kind, 0) >= limit and not seed:
            return False
        self.seen.add(url)
        self.per_shape[kind] = self.per_shape.get(kind, 0) + 1
        return True

    def crawl(self, starts: list[str]) -> None:
        """Breadth first, in French, from the reader's starting pages."""
        queue = deque((url, "start") for url in starts if self.admit(url, seed=True))
        while queue and self.pages < MAX_PAGES:
            url, linked_from = queue.popleft()
            self.pages += 1
            response = self.check(url, "fr", linked_from)
            if response is None:
                continue
            self.english.setdefault(shape(url), (url, linked_from))
            if expected_type(url) is not None:
                continue  # a file, not a page to read
            page = htmx_split(url)[0]
            if response.status_code in REDIRECTS:
                targets = [response["Location"]]
            elif response.get("Content-Type", "").startswith("text/html"):
                parser = Targets()
                parser.feed(response.content.decode(response.charset or "utf-8"))
                targets = parser.hrefs + [HX + href for href in parser.htmx]
            else:
                continue
            for href in targets:
                href, htmx = htmx_split(href)
                target = internal(page, href)
                target = HX + target if htmx and target else target
                if target is not None and self.admit(target):
                    queue.append((target, url))
        self.left = len(queue)

    def in_english(self) -> None:
        """One page of each shape again, in English; a page of the site's layout says so."""
        for url, linked_from in self.english.values():
            response = self.check(url, "en", linked_from)
            if response is None or response.status_code != 200 or expected_type(url):
                continue
            ours = b'class="site-header"' in response.content
            if ours and b'<html lang="en"' not in response.content:
                self.fail(url, "en", linked_from, "200 but not in English")


def reader(role: str, summary) -> Any:
    """The demo login of a role, staff with their second factor enrolled; None for a visitor."""
    if role == "visitor":
        return None
    user = get_user_model().objects.get(email=dict(summary.logins)[role])
    if user.is_staff:
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(user, generate_totp_secret())
    return user


def one_of_each(queryset, key: str) -> list[Any]:
    """The first object of each value of `key` (one event of each kind, one file of each stage)."""
    first: dict[Any, Any] = {}
    for obj in queryset.order_by(key, "pk"):
        first.setdefault(getattr(obj, key), obj)
    return list(first.values())


def seeds(role: str, user: Any) -> list[str]:
    """Pages the sample must hold, as their links vary with the kind or stage of the object."""
    events = visible_events(user or AnonymousUser())
    chosen = [*one_of_each(events, "kind"), *events.filter(status=EventStatus.CANCELLED)[:1]]
    urls = [event.get_absolute_url() for event in chosen]
    if role in ("member", "org_admin"):
        files = LabellingRequest.objects.filter(contacts__user=user).distinct()
        urls += [file.get_absolute_url() for file in files]
    elif role == "expert":
        mine = Assignment.objects.filter(expert__user=user)
        urls += [reverse("projects:assignment", args=[a.pk]) for a in one_of_each(mine, "status")]
    elif role == "staff":
        urls += [reverse("events_staff:detail", args=[event.pk]) for event in chosen]
        stages = one_of_each(LabellingRequest.objects.all(), "status")
        urls += [file.get_absolute_url() for file in stages]
        memberships = one_of_each(Membership.objects.all(), "status")
        urls += [reverse("backoffice:membership", args=[m.pk]) for m in memberships]
    return urls


@pytest.mark.parametrize("role", list(STARTS))
def test_nothing_broken_a_click_away(small_demo, role, client, settings):
    # given a reader of the demo, staff having enrolled their second factor
    settings.GRAPPE_PRIVATE_ROOT = str(small_demo.private_root)
    user = reader(role, small_demo)
    if user is not None:
        client.force_login(user)
    walk = Walk(client)
    # when they follow every link from their starting pages, in French, then once more in
    # English for one page of each kind
    walk.crawl([*STARTS[role], *seeds(role, user)])
    walk.in_english()
    # then no link leads to a server error or a missing page, every download is its file,
    # and the walk went everywhere it could within its cap
    print(
        f"{role}: {walk.pages} pages in French, {len(walk.english)} in English, "
        f"{len(walk.per_shape)} shapes, {walk.left} left at the cap; statuses {walk.statuses}"
    )
    assert walk.failures == [], "\n" + "\n".join(walk.failures)
    assert walk.left == 0, f"{walk.left} pages left unread at {MAX_PAGES}: raise MAX_PAGES"
    assert walk.pages > 50
