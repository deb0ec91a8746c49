"""Reading and writing documents: Retro Document JSON, Markdown, plain text, imports."""
