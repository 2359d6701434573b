"""Logins: which district person a Django user is, and in which role they act."""
