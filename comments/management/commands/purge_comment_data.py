from django.conf import settings
from django.core.management.base import BaseCommand

from comments.services import purge_comment_data


class Command(BaseCommand):
    help = (
        "Efface les adresses IP des commentaires anciens et supprime les commentaires rejetés "
        "ou indésirables anciens (durées en jours, réglables)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ip-days",
            type=int,
            default=settings.COMMENTS_IP_RETENTION_DAYS,
            help="Âge (jours) au-delà duquel l'adresse IP est effacée (défaut : %(default)s).",
        )
        parser.add_argument(
            "--rejected-days",
            type=int,
            default=settings.COMMENTS_REJECTED_RETENTION_DAYS,
            help="Âge (jours) au-delà duquel les commentaires rejetés et indésirables sont supprimés "
            "(défaut : %(default)s).",
        )

    def handle(self, *args, **options):
        cleared, deleted = purge_comment_data(
            ip_retention_days=options["ip_days"], rejected_retention_days=options["rejected_days"]
        )
        self.stdout.write(f"Adresses IP effacées : {cleared}. Commentaires supprimés : {deleted}.")
