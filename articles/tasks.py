"""Background tasks of the articles app (django.tasks)."""

from django.tasks import task


@task
def flush_read_counts():
    """Write the reads buffered in Redis to `ArticleDailyView` (see
    articles/reads.py); enqueued by the first read of each window."""
    from articles.reads import flush_pending_reads

    return flush_pending_reads()
