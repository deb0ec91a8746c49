"""`python -m retrotui`."""

from retrotui.cli import run

if __name__ == "__main__":
    run()
