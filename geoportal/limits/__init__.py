"""Rate limits: one client address, one store, one way to count (see the modules)."""
