import secrets

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import articles.demo
import comments.demo
import events.demo

DEMO_ACCOUNTS = [
    # username, group, description: one account of each kind (newsroom/groups.py)
    ("redacteur", "Rédacteur", "rédacteur (écrit et soumet pour relecture)"),
    ("editeur", "Rédaction en chef", "rédaction en chef (publie, programme, rectifie, journal)"),
    ("moderateur", "Modération", "modérateur (commentaires)"),
]


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration (article smart city, Rencontres, rubriques) "
        "et crée les comptes de démonstration. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Donne un nouveau mot de passe aux comptes de démonstration et l'affiche.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Autorise le chargement quand DEBUG est désactivé (déconseillé).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Le contenu de démonstration n'est pas chargé quand DEBUG est désactivé "
                "(utilisez --allow-production pour forcer)."
            )
        # One revision for the whole demo, by nobody (« système » in the histories).
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment("Contenu de démonstration")
            articles.demo.load(stdout=self.stdout)
            events.demo.load(stdout=self.stdout)
            comments.demo.load(stdout=self.stdout)
            self.create_accounts(reset=options["reset_passwords"])

    def create_accounts(self, *, reset):
        User = get_user_model()
        for username, group_name, description in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "email": f"{username}@example.org"}
            )
            group, _created = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)
            if created or reset:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save(update_fields=["password"])
                self.stdout.write(
                    self.style.WARNING(
                        f"Compte de démonstration {description} : identifiant « {username} », "
                        f"mot de passe « {password} » (affiché une seule fois ; "
                        "`manage.py load_demo --reset-passwords` en donne un nouveau)."
                    )
                )
            else:
                self.stdout.write(f"Compte de démonstration « {username} » : déjà créé.")
