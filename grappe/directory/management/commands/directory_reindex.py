"""Rebuild the directory's search index from the organisations."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from grappe.directory.indexing import directory_rebuild, organisation_reindex


class Command(BaseCommand):
    help = (
        "Rebuild the directory's search index (all organisations, or those given by id). "
        "Safe to run at any time, e.g. nightly, so that memberships starting or ending on a "
        "date are reflected."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="organisation ids (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        if options["ids"]:
            organisation_reindex(options["ids"])
            count = len(options["ids"])
        else:

            def progress(done: int, total: int) -> None:
                if options["verbosity"] > 1:
                    self.stdout.write(f"{done}/{total}")

            count = directory_rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count} organisations in {time.perf_counter() - start:.1f} s."
            )
        )
