"""Relationship-based access to student records: policy as data and an in-process index."""
