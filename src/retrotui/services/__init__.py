"""Use cases shared by the command line and the app, one module per area.

Each function validates its input (raising `UserError` with one sentence), then goes
through the Store, which commits at once. Nothing here knows about Textual.
"""
