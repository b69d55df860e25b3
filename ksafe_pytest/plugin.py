"""pytest hooks of ksafe-pytest (being built)."""
