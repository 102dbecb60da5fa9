"""Qualitative follow-up: the coding frame, coded passages and suggested codes."""
