import secrets

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

import articles.demo
import comments.demo
import events.demo
import pages.demo
from newsroom.demo import demo_calendar

# Works as typed from the project's folder (the Makefile passes HOST and PORT).
RESET_HINT = "make passwords"

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
            # One calendar for every page: the demo events' own while they are
            # to come, else a new one from today (see newsroom/demo.py).
            calendar = events.demo.current_calendar() or demo_calendar(timezone.localdate())
            articles.demo.load(calendar=calendar, stdout=self.stdout)
            events.demo.load(calendar=calendar, stdout=self.stdout)
            comments.demo.load(stdout=self.stdout)
            pages.demo.load(stdout=self.stdout)
            self.create_accounts(reset=options["reset_passwords"])

    def create_accounts(self, *, reset):
        """Create the demo accounts; print the passwords of new (or reset) ones,
        once, with the address of the admin and the command that resets them."""
        User = get_user_model()
        passwords = []
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
                passwords.append((description, username, password))
        admin_url = f"{settings.SITE_URL}/admin/"
        if passwords:
            self.stdout.write(
                self.style.WARNING("Comptes de démonstration (mots de passe affichés une seule fois) :")
            )
            for description, username, password in passwords:
                self.stdout.write(
                    self.style.WARNING(
                        f"  {description} : identifiant « {username} », mot de passe « {password} »"
                    )
                )
        else:
            quoted = [f"« {username} »" for username, _group, _description in DEMO_ACCOUNTS]
            names = f"{', '.join(quoted[:-1])} et {quoted[-1]}"
            self.stdout.write(f"Comptes de démonstration {names} : déjà créés.")
        self.stdout.write(f"Site : {settings.SITE_URL}/ — administration : {admin_url}")
        self.stdout.write(f"Nouveaux mots de passe pour les comptes de démonstration : {RESET_HINT}")
