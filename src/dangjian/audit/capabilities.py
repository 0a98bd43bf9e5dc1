"""What the audit app checks: reading the log of an org subtree (granted by the roles in accounts.roles)."""

VIEW_AUDIT = "audit.view"
