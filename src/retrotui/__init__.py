"""retrotui: run incident retrospectives live in the terminal."""

__version__ = "0.1.0"
