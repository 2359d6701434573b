"""Security controls shared by every app: MFA enforcement, re-authentication, encryption at rest,
backups (#10, docs/security.md)."""
