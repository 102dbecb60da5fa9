"""Accounts and roles: who may see and do what, decided in one place (permissions.py)."""
