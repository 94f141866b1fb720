"""Reference data customers hang off: the product shelf and the advisors."""
