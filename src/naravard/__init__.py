"""naravard: national follow-up of the transition to good and close care."""

__version__ = "0.1.0"
