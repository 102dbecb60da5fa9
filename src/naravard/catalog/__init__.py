"""The indicator catalogue: what each indicator means, its unit, target and caveats, versioned."""
