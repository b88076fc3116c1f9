"""Importing GIS files into layers: staging untrusted files safely, reading them with
OGR (pyogrio), checking every row, then writing in one transaction."""


class ImportFailed(Exception):
    """The file cannot be imported; the message says why. Nothing was written."""
