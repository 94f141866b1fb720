"""Cross-sell: rank the products a customer does not hold, with reasons, within the rules."""
