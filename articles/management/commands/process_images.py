"""Send every picture still waiting for the image pipeline to the task queue.

Run it once after the migration that brought event photos, logos and
portraits into the pipeline, and whenever an upload stayed « en cours de
traitement » (a worker that was down, a storage outage).
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from articles.images import ImageState, ProcessedImagesMixin
from articles.tasks import process_image


class Command(BaseCommand):
    help = "Met dans la file de traitement toutes les images en attente (photos, logos, portraits)."

    def handle(self, *args, **options):
        queued = 0
        for model in apps.get_models():
            if not issubclass(model, ProcessedImagesMixin):
                continue
            for field_name, spec in model.IMAGE_FIELDS.items():
                processing = spec.processing_field(field_name)
                waiting = model.objects.filter(**{f"{processing}__state": ImageState.PROCESSING})
                for pk, state in waiting.values_list("pk", processing):
                    process_image.enqueue(
                        label=model._meta.label, pk=pk, field_name=field_name, upload=state["upload"]
                    )
                    queued += 1
        self.stdout.write(f"Images mises en file de traitement : {queued}.")
