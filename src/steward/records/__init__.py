"""The rest of the student record beyond the roster (issue #4 item 2): attendance, grades,
assessments, discipline, health, special education and student work. See docs/records.md."""
