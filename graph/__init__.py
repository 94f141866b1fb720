"""Knowledge graph of customers, households, products, advisors and referrals (see graph/README.md)."""
