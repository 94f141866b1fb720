"""Knowledge graph of customers, households, products, advisors and referrals.

The design, the memory model across server workers and measured figures are in README.md.
"""
