"""The rules of `smesa check`; see `registry` for how a rule is written."""
