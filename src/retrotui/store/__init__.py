"""Persistence: the only package that opens a database Session.

Submodules are imported explicitly (`retrotui.store.repository`) so that importing the
package costs nothing on the path to the app's first frame.
"""
