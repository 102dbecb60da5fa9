"""The public site: overview, indicator, region and municipality pages, search, and the cache in front of them."""
