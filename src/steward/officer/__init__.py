"""Privacy-office pages: the audit log, and later vendors, agreements and requests."""
