"""Knowledge graph of customers, households, products, advisors, referrals: docs/architecture.md."""
