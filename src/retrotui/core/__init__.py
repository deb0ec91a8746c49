"""Pure logic: no I/O, no database, no Textual."""
