"""HTTP plumbing of the app: request ids, access logs, metrics, health checks."""
