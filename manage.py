#!/usr/bin/env python
import sys

from grappe.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
