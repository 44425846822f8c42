"""The `grappe` console command: Django's management commands, plus `grappe demo`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        # The demo is a local, single-user showcase: development settings unless told otherwise.
        os.environ.setdefault("DEBUG", "1")
        os.environ.setdefault("GRAPPE_STAFF_MFA_REQUIRED", "0")
        os.environ.setdefault("GRAPPE_CLUSTER_NAME", "Pôle Lumière Sud")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grappe.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
