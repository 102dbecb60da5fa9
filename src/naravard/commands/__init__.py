"""The command line's groups, one module per area; above everything they drive."""
