"""Publishing: the public web pages (and later the API and report)."""
