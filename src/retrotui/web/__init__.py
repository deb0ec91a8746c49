"""`retrotui serve`: the meeting in a browser, through textual-serve (no Textual here)."""
