"""Every French string in Grappe's catalogues is the one a French reader sees.

Django merges the catalogues of all installed apps into one, the first app listed winning a
msgid that several define. A msgid translated one way in one app and another way in another
(a gendered status, a date label) therefore shows the first app's wording everywhere. Such
meanings need a context (`pgettext`), and plain repeats need one wording.
"""

from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent / "grappe"
CATALOGUES = sorted(ROOT.glob("*/locale/fr/LC_MESSAGES/django.po"))


def _entries():
    for path in CATALOGUES:
        app = path.relative_to(ROOT).parts[0]
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags or entry.msgid_plural:
                continue
            if entry.msgstr:
                yield app, entry


def test_there_are_catalogues_to_check():
    # given the apps' French catalogues, then there is one per app that people read
    apps = {path.relative_to(ROOT).parts[0] for path in CATALOGUES}
    assert {"accounts", "core", "members", "directory", "events", "projects"} <= apps


def test_every_french_string_is_the_one_django_renders():
    # given every translated entry of every app's catalogue
    wrong = []
    with translation.override("fr"):
        for app, entry in _entries():
            # when Django translates its msgid (in its context)
            if entry.msgctxt:
                shown = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                shown = translation.gettext(entry.msgid)
            # then it shows this catalogue's wording, not another app's
            if shown != entry.msgstr:
                wrong.append(
                    f"{app}: {entry.msgctxt or ''}|{entry.msgid!r} → {shown!r}, not {entry.msgstr!r}"
                )
    assert wrong == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(ROOT).parts[0])
def test_no_catalogue_leaves_a_string_untranslated(path):
    # given an app's French catalogue, then every entry has a French text
    missing = [
        entry.msgid
        for entry in polib.pofile(str(path))
        if not entry.obsolete and not entry.translated()
    ]
    assert missing == []
