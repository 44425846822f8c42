"""One module per part of the figures page; each exposes a `<name>_section(context)` builder."""
