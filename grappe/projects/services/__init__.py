"""Import from the submodules directly."""
