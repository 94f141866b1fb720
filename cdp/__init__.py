"""cdp: a customer-data platform for wealth-management firms."""

__version__ = "0.1.0"
