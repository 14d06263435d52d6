"""Demo content for the comments app (called by `manage.py load_demo`)."""


def load(*, stdout=None):
    """Idempotent: running it twice changes nothing."""
