import os

os.environ.setdefault("KOMIN_DEV", "1")
