"""The district roster: organisations, people, sections, enrollments; OneRoster import."""
