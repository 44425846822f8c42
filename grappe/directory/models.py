"""The directory's search index: one entry per organisation, a vocabulary, a change log.

The entries are derived data, rebuilt by `manage.py directory_reindex` and kept fresh by the
members services after each commit (see indexing.py). The full-text part lives beside them:
an FTS5 table `directory_fts` on SQLite, three `tsvector` columns with GIN indexes on
PostgreSQL (migration 0002); neither is declared here because the ORM never reads them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectoryEntry(models.Model):
    """What the search needs of one organisation, in one row."""

    organisation = models.OneToOneField(
        "members.Organisation",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="directory_entry",
    )
    kind = models.CharField(_("kind"), max_length=20)
    college = models.CharField(_("collège"), max_length=20)
    region = models.CharField(_("region"), max_length=4, blank=True)
    size_class = models.CharField(_("size class"), max_length=10, blank=True)
    member_from = models.DateField(_("member from"), null=True, blank=True)
    member_until = models.DateField(_("member until"), null=True, blank=True)
    competence_codes = models.TextField(_("competences"), blank=True)
    prior = models.PositiveSmallIntegerField(_("profile completeness"), default=0)
    sort_name = models.CharField(_("sort key"), max_length=200)
    text_name = models.TextField(_("indexed name"), blank=True)
    text_competences = models.TextField(_("indexed competences"), blank=True)
    text_description = models.TextField(_("indexed description"), blank=True)
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        db_table = "directory_entry"
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")

    def __str__(self) -> str:
        return self.sort_name


class DirectoryTerm(models.Model):
    """One word of the indexed texts and how many entries hold it: the spelling vocabulary."""

    word = models.CharField(_("word"), max_length=40, primary_key=True)
    entries = models.PositiveIntegerField(_("entries"), default=0)

    class Meta:
        db_table = "directory_term"
        verbose_name = _("indexed word")
        verbose_name_plural = _("indexed words")

    def __str__(self) -> str:
        return self.word


class DirectoryWordSet(models.Model):
    """The entries holding a frequent word in their name, competences, description: bit sets
    (zlib-compressed, little-endian) computed by the engine at rebuild, as of change `valid_at`.
    Searches patch them from the change log instead of asking the engine again."""

    key = models.CharField(_("word"), max_length=80, primary_key=True)
    name = models.BinaryField()
    competences = models.BinaryField()
    description = models.BinaryField()
    valid_at = models.BigIntegerField(_("as of change"))

    class Meta:
        db_table = "directory_word_set"
        verbose_name = _("precomputed word")
        verbose_name_plural = _("precomputed words")

    def __str__(self) -> str:
        return self.key


class DirectoryChange(models.Model):
    """One change of the index; search processes patch their in-memory facets from this log.

    `entry` empty means the whole index was rebuilt. `token` is random, so a process notices
    when the log it read has been rolled back or rebuilt (ids alone may be reused)."""

    organisation_id = models.BigIntegerField(_("organisation"), null=True, blank=True)
    token = models.CharField(max_length=32)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "directory_change"
        verbose_name = _("index change")
        verbose_name_plural = _("index changes")

    def __str__(self) -> str:
        return f"{self.pk} {self.organisation_id or '*'}"


class DirectoryVector(models.Model):
    """PostgreSQL only: the entry's tsvectors, in the table that migration 0002 creates in SQL.

    Declared (state only, no column but the key) so that Django's flush, which the test suite
    runs after each transactional test, truncates it together with the entries it references.
    The ORM never reads it; the database deletes a vector with its entry."""

    entry = models.OneToOneField(
        DirectoryEntry,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="organisation_id",
        related_name="+",
    )

    class Meta:
        db_table = "directory_vector"
        verbose_name = _("search vector")
        verbose_name_plural = _("search vectors")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.pk)
