"""Reference data: the 21 regions, the 290 municipalities, population and boundaries."""
