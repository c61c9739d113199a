"""APEC SME Service Alliance: content model, Terms of Reference validator and site."""

__version__ = "0.1.0"
