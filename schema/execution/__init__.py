"""Execution: graphql-core's executor with compiled completion for plain attributes."""
