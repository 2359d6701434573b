"""Steward: a student data privacy system for school districts."""
