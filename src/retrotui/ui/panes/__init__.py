"""The stages of the meeting screen, one pane each."""
