from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scale.generate import Plan, existing_count, generate, reset


class Command(BaseCommand):
    help = (
        "Génère une archive réaliste de grande taille (articles, commentaires, lectures, événements) "
        "pour mesurer le site à l'échelle. Refuse de tourner en production (DJANGO_DEBUG désactivé) "
        "sans --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=100_000, help="Nombre d'articles (défaut : %(default)s)."
        )
        parser.add_argument(
            "--comments", type=int, default=1_000_000, help="Nombre de commentaires (défaut : %(default)s)."
        )
        parser.add_argument("--seed", type=int, default=8, help="Graine du hasard (défaut : %(default)s).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Supprime d'abord les données générées auparavant (slugs « scale-… »), puis génère.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Accepte de tourner avec DJANGO_DEBUG désactivé."
        )
        parser.add_argument("--database", default="default", help="Base de données (défaut : %(default)s).")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DJANGO_DEBUG est désactivé : c'est peut-être la base de production. "
                "Ajoutez --force si vous voulez vraiment y générer des données de charge."
            )
        if options["articles"] < 1 or options["comments"] < 0:
            raise CommandError("Il faut au moins un article et un nombre de commentaires positif.")
        using = options["database"]
        if options["reset"]:
            self.stdout.write("Suppression des données générées auparavant…")
            reset(using=using, log=self.stdout.write)
        existing = existing_count(using)
        if existing:
            self.stdout.write(
                f"Des données de charge existent déjà ({existing} articles « scale-… ») : rien à faire. "
                "Relancez avec --reset pour les refaire."
            )
            return
        plan = Plan(articles=options["articles"], comments=options["comments"], seed=options["seed"])
        counts = generate(plan, using=using, log=self.stdout.write)
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Données générées : {summary}."))
