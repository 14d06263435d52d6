"""Demo content for the events app (called by `manage.py load_demo`)."""


def load(*, stdout=None):
    """Idempotent: running it twice changes nothing."""
