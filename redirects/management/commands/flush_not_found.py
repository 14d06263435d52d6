from django.core.management.base import BaseCommand

from redirects.notfound import flush_not_found_counts


class Command(BaseCommand):
    help = (
        "Ajoute au tableau des adresses introuvables les 404 comptées en cache "
        "(à lancer par cron, chaque minute)."
    )

    def handle(self, *args, **options):
        added = flush_not_found_counts()
        self.stdout.write(f"404 enregistrées : {added}.")
