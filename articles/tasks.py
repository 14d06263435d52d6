"""Background tasks of the articles app (Django's `django.tasks`)."""

from django.tasks import task

from articles.images import process_pending_image


@task
def process_image(*, label, pk, field_name, upload):
    """Clean and resize a freshly uploaded picture (`articles.images`): runs
    in the worker (`manage.py db_worker`) in production, at once after commit
    with the immediate backend of development and tests. Side effects: writes
    the clean picture and its renditions, points the row's field to them
    (bumping `updated_at` where the model has it), deletes the raw upload and
    the previous picture's files; on a broken upload, records the French
    reason in `<field>_processing` instead."""
    return process_pending_image(label=label, pk=pk, field_name=field_name, upload=upload)


@task
def flush_read_counts():
    """Write the reads buffered in Redis to `ArticleDailyView` (see
    articles/reads.py); enqueued by the first read of each window."""
    from articles.reads import flush_pending_reads

    return flush_pending_reads()
