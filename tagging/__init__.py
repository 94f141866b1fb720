"""Tags: the rule language, the set-based engine, history and the default library.

The rule language and its attribute catalogue are described in tagging/README.md.
"""
