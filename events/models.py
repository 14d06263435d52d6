"""Events the newsroom organises: series and editions, venues, partner
organisations, speakers and the programme, with the job each speaker held at
the time of the event."""

from datetime import timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from articles.images import ImageSpec, ProcessedImagesMixin, processing_field, renditions_field
from articles.models import Article
from articles.sanitize import sanitize_html
from newsroom import cache as page_cache
from newsroom.text import single_line

# What the admin rich-text editor offers; `sanitize_html` enforces the same
# allow-list on save whatever path writes the description.
PROSE_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Link": True,
    "Blockquote": True,
}


def free_slug(model, text, *, max_length):
    """A slug for `text` that no `model` row holds yet: « nom », « nom-2 »…"""
    base = slugify(text)[: max_length - 4] or model._meta.model_name
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def french_ordinal(number, *, feminine=True, plural=True):
    """« 1re », « 1ers », « 3es », « 2e »: the abbreviated French ordinal."""
    suffix = ("re" if feminine else "er") if number == 1 else "e"
    return f"{number}{suffix}{'s' if plural else ''}"


class CalendarStateMixin:
    """Remembers, from the database, the fields listed in CALENDAR_FIELDS (what
    calendar apps show of the object), so that `save()` can tell whether the
    events' SEQUENCE must go up."""

    CALENDAR_FIELDS = ()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance.remember_calendar_state()
        return instance

    def remember_calendar_state(self):
        self._calendar_snapshot = self._calendar_state()

    def calendar_changed(self):
        """True when a stored object now differs in a field calendars show."""
        snapshot = getattr(self, "_calendar_snapshot", None)
        return self.pk is not None and snapshot is not None and snapshot != self._calendar_state()

    def _calendar_state(self):
        return tuple(getattr(self, name, None) for name in self.CALENDAR_FIELDS)


class Venue(CalendarStateMixin, models.Model):
    name = models.CharField(_("nom"), max_length=150, help_text=_("Par exemple « Villa Gaby »."))
    address = models.CharField(
        _("adresse"),
        max_length=250,
        blank=True,
        help_text=_("Numéro et rue, par exemple « 285 corniche Kennedy »."),
    )
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=100, help_text=_("Par exemple « Marseille »."))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Facultatif : précise le lien vers la carte (par exemple 43.281100)."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Facultatif, avec la latitude (par exemple 5.353500)."),
    )

    # What calendars show of a venue (LOCATION, GEO): changing it bumps the
    # SEQUENCE of the events held there, so that calendar apps update them.
    CALENDAR_FIELDS = ("name", "address", "postcode", "city", "latitude", "longitude")

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")

    def __str__(self):
        return f"{self.name}, {self.city}"

    def save(self, *args, **kwargs):
        moved = self.calendar_changed()
        super().save(*args, **kwargs)
        if moved:
            self.events.update(sequence=models.F("sequence") + 1, updated_at=timezone.now())
        self.remember_calendar_state()

    save.alters_data = True

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Indiquez la latitude et la longitude, ou aucune des deux."))

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def full_address(self):
        """« 285 corniche Kennedy, 13007 Marseille »."""
        town = " ".join(part for part in [self.postcode, self.city] if part)
        return ", ".join(part for part in [self.address, town] if part)

    @property
    def one_line(self):
        return ", ".join(part for part in [self.name, self.full_address] if part)

    @property
    def map_url(self):
        """A link to OpenStreetMap (a link only: no map is embedded)."""
        if self.has_coordinates:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=17/{self.latitude}/{self.longitude}"
            )
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.one_line})


class Organisation(ProcessedImagesMixin, models.Model):
    name = models.CharField(
        _("nom"), max_length=150, unique=True, help_text=_("Par exemple « Ville de Marseille ».")
    )
    website = models.URLField(_("site web"), blank=True, help_text=_("Adresse complète, https://…"))
    logo = models.ImageField(
        _("logo"),
        upload_to="events/logos/",
        blank=True,
        help_text=_("PNG, JPEG ou WebP, fond transparent de préférence ; 10 Mo et 40 mégapixels au plus."),
    )
    logo_renditions = renditions_field(_("déclinaisons du logo"))
    logo_processing = processing_field(_("traitement du logo"))

    IMAGE_FIELDS = {
        "logo": ImageSpec(folder="events/logos", widths=(160, 320), max_edge=1024, fallback_format="PNG")
    }

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Person(ProcessedImagesMixin, models.Model):
    name = models.CharField(_("nom"), max_length=150, help_text=_("Prénom et nom."))
    slug = models.SlugField(
        _("fin de l'adresse"),
        max_length=160,
        unique=True,
        help_text=_(
            "La page de l'intervenant : /evenements/intervenants/<strong>lluis-sanz-marco</strong>/. "
            "Lettres sans accent, chiffres et tirets ; se remplit depuis le nom."
        ),
    )
    job_title = models.CharField(
        _("fonction actuelle"),
        max_length=250,
        blank=True,
        help_text=_(
            "Fonction d'aujourd'hui. Celle qu'affiche un événement est figée à sa publication "
            "(et se corrige dans son programme) : changer de fonction ne réécrit pas les pages passées."
        ),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation actuelle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text=_("Employeur ou institution d'aujourd'hui."),
    )
    bio = models.TextField(_("biographie"), blank=True, max_length=800, help_text=_("Deux ou trois phrases."))
    photo = models.ImageField(
        _("photo"),
        upload_to="events/people/",
        blank=True,
        help_text=_("Portrait, JPEG, PNG ou WebP ; 10 Mo et 40 mégapixels au plus."),
    )
    photo_renditions = renditions_field(_("déclinaisons du portrait"))
    photo_processing = processing_field(_("traitement du portrait"))

    IMAGE_FIELDS = {"photo": ImageSpec(folder="events/people", widths=(160, 320, 480), max_edge=1200)}

    class Meta:
        ordering = ["name"]
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Created outside the admin (shell, demo): the address from the name.
        if not self.slug:
            self.slug = free_slug(Person, self.name, max_length=160)
        super().save(*args, **kwargs)

    save.alters_data = True

    def get_absolute_url(self):
        return reverse("events:speaker", kwargs={"slug": self.slug})


class EventSeries(models.Model):
    """A recurring event, e.g. « Rencontres du Forum Smart City Marseille
    Méditerranée », whose editions are numbered."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    feminine = models.BooleanField(
        _("nom féminin"),
        default=True,
        help_text=_("Accord du numéro d'édition : « 1res Rencontres » (coché) ou « 1er Forum »."),
    )
    plural = models.BooleanField(
        _("nom pluriel"),
        default=True,
        help_text=_("Accord du numéro d'édition : « 3es Rencontres » (coché) ou « 3e Forum »."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("série d'événements")
        verbose_name_plural = _("séries d'événements")

    def __str__(self):
        return self.name


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévu")
    CANCELLED = "cancelled", _("Annulé")
    POSTPONED = "postponed", _("Reporté")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")


class AttendanceMode(models.TextChoices):
    OFFLINE = "offline", _("Sur place")
    ONLINE = "online", _("En ligne")
    MIXED = "mixed", _("Sur place et en ligne")


class Admission(models.TextChoices):
    UNKNOWN = "", _("Non précisé")
    FREE = "free", _("Gratuit")
    PAID = "paid", _("Payant")


class RegistrationState(models.TextChoices):
    """Where registration stands, as the event page tells readers."""

    NONE = "none", _("Sans inscription en ligne")
    OPEN = "open", _("Inscriptions ouvertes")
    FULL = "full", _("Complet")
    CLOSED = "closed", _("Inscriptions closes")
    OVER = "over", _("Événement passé")
    CANCELLED = "cancelled", _("Événement annulé")


class EventQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published and whose publication time has
        come (a future date schedules it, with no cron job)."""
        return self.filter(publication_status=PublicationStatus.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Accounts allowed to view events in the admin (`events.view_event`)
        preview drafts and scheduled events at their real URL; anybody else,
        staff or not, sees what readers see."""
        if user.is_authenticated and user.has_perm("events.view_event"):
            return self
        return self.published()

    def upcoming(self):
        """Not over yet: an event without an end is over when its day is."""
        now = timezone.now()
        today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        return self.filter(
            Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=today_start)
        ).order_by("starts_at", "pk")

    def past(self):
        now = timezone.now()
        today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        return self.filter(Q(ends_at__lt=now) | Q(ends_at__isnull=True, starts_at__lt=today_start)).order_by(
            "-starts_at", "-pk"
        )

    def for_listing(self):
        """What an event card needs, in a fixed number of queries."""
        return self.select_related("venue", "series").prefetch_related(
            models.Prefetch("organiser_links", queryset=EventOrganiser.objects.select_related("organisation"))
        )

    def with_programme(self):
        """The organisers, the programme with its participants, and the
        announced event: what the event page and the article's event box
        show, in a fixed number of queries whatever the programme's size."""
        participations = Participation.objects.select_related("person__organisation", "organisation")
        items = ProgrammeItem.objects.prefetch_related(
            models.Prefetch("participations", queryset=participations)
        )
        return (
            self.for_listing()
            .select_related("announces__venue", "announces__series")
            .prefetch_related(models.Prefetch("programme_items", queryset=items))
        )

    def for_page(self):
        """Everything the event page shows, in a fixed number of queries."""
        articles = Article.objects.published().select_related("section").order_by("-published_at", "-pk")
        announcers = Event.objects.published().select_related("venue", "series").order_by("starts_at", "pk")
        return self.with_programme().prefetch_related(
            models.Prefetch("related_articles", queryset=articles, to_attr="published_articles"),
            models.Prefetch("announced_by", queryset=announcers, to_attr="published_announcers"),
        )


class Event(ProcessedImagesMixin, CalendarStateMixin, models.Model):
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("série"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Pour un événement récurrent numéroté."),
    )
    edition = models.PositiveSmallIntegerField(
        _("numéro d'édition"),
        null=True,
        blank=True,
        help_text=_("3 affiche « 3es Rencontres… » (accord selon la série)."),
    )
    edition_label = models.CharField(
        _("édition, telle qu'écrite"),
        max_length=40,
        blank=True,
        help_text=_("Facultatif : remplace le numéro calculé, par exemple « Troisièmes »."),
    )
    title = models.CharField(
        _("titre"),
        max_length=200,
        help_text=_("Sans le numéro d'édition : « Rencontres du Forum Smart City Marseille Méditerranée »."),
    )
    slug = models.SlugField(
        _("fin de l'adresse"),
        max_length=200,
        unique=True,
        help_text=_(
            "La page de l'événement : /evenements/<strong>rencontres-smart-city-3</strong>/. "
            "Lettres sans accent, chiffres et tirets ; se remplit depuis le titre."
        ),
    )
    standfirst = models.TextField(
        _("chapô"), max_length=600, help_text=_("Deux ou trois phrases qui présentent l'événement.")
    )
    description = ProseEditorField(
        _("description"),
        blank=True,
        config={"extensions": PROSE_EXTENSIONS},
        sanitize=True,
        help_text=_("Présentation détaillée, avec intertitres, listes et liens."),
    )
    image = models.ImageField(
        _("photo"),
        upload_to="events/%Y/%m/",
        blank=True,
        help_text=_(
            "JPEG, PNG ou WebP, 10 Mo et 40 mégapixels au plus ; préparée juste après l'enregistrement."
        ),
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_renditions = renditions_field(_("déclinaisons de la photo"))
    image_processing = processing_field(_("traitement de la photo"))
    image_alt = models.CharField(
        _("texte alternatif"), max_length=250, blank=True, help_text=_("Ce que montre la photo.")
    )
    image_caption = models.CharField(_("légende"), max_length=300, blank=True, help_text=_("Sous la photo."))
    image_credit = models.CharField(
        _("crédit photo"), max_length=150, blank=True, help_text=_("Obligatoire avec une photo.")
    )
    starts_at = models.DateTimeField(_("début"), help_text=_("Date et heure de Paris."))
    ends_at = models.DateTimeField(
        _("fin"),
        null=True,
        blank=True,
        help_text=_("Facultatif : sans fin, la page affiche « à partir de 10 h »."),
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("lieu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Où a lieu l'événement."),
    )
    organisers = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisateurs"),
        through="EventOrganiser",
        related_name="organised_events",
        blank=True,
    )
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        help_text=_("Annulé ou reporté affiche un bandeau aux lecteurs."),
    )
    status_reason = models.CharField(
        _("motif"),
        max_length=250,
        blank=True,
        help_text=_("Une phrase montrée aux lecteurs quand l'événement est annulé ou reporté."),
    )
    publication_status = models.CharField(
        _("publication"), max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    published_at = models.DateTimeField(
        _("date de publication"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Une date future programme la publication : la page paraîtra seule à cette heure."),
    )
    announces = models.ForeignKey(
        "self",
        verbose_name=_("annonce l'événement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="announced_by",
        help_text=_("Le grand événement que celui-ci annonce (les Rencontres annoncent le Forum)."),
    )
    attendance_mode = models.CharField(
        _("participation"),
        max_length=20,
        choices=AttendanceMode.choices,
        default=AttendanceMode.OFFLINE,
        help_text=_("Sur place, en ligne, ou les deux."),
    )
    registration_url = models.URLField(
        _("lien d'inscription"),
        blank=True,
        help_text=_("Le formulaire d'inscription (https://…). Le bouton « S'inscrire » y mène."),
    )
    registration_email = models.EmailField(
        _("e-mail d'inscription"),
        blank=True,
        help_text=_("Sans lien d'inscription, le bouton « S'inscrire » écrit à cette adresse."),
    )
    registration_deadline = models.DateTimeField(
        _("date limite d'inscription"),
        null=True,
        blank=True,
        help_text=_("Date et heure de Paris ; ensuite, la page annonce « Inscriptions closes »."),
    )
    is_full = models.BooleanField(
        _("complet"), default=False, help_text=_("Cochez quand il n'y a plus de place : le bouton disparaît.")
    )
    remaining_places = models.PositiveIntegerField(
        _("places restantes"),
        null=True,
        blank=True,
        help_text=_("Facultatif : affiché « Plus que 12 places » et donné aux moteurs de recherche."),
    )
    admission = models.CharField(
        _("entrée"), max_length=10, choices=Admission.choices, default=Admission.UNKNOWN, blank=True
    )
    price = models.DecimalField(
        _("prix (€)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Toutes taxes comprises, pour une entrée payante."),
    )
    related_articles = models.ManyToManyField(
        Article,
        verbose_name=_("articles liés"),
        blank=True,
        related_name="events",
        help_text=_("Ces articles affichent l'événement en fin de page, et la page de l'événement les cite."),
    )
    sequence = models.PositiveIntegerField(
        _("révision"),
        default=0,
        editable=False,
        help_text=_("Augmente quand ce que voient les agendas change (SEQUENCE iCalendar)."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    objects = EventQuerySet.as_manager()

    IMAGE_FIELDS = {"image": ImageSpec(folder="events")}

    # The fields a calendar that imported the event shows: a change to one of
    # them bumps SEQUENCE so that calendar apps update their copy.
    CALENDAR_FIELDS = (
        "title",
        "edition",
        "edition_label",
        "standfirst",
        "starts_at",
        "ends_at",
        "venue_id",
        "status",
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [models.Index(fields=["publication_status", "published_at", "starts_at"])]
        permissions = [("publish_event", _("Peut publier, programmer et dépublier un événement"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("La fin doit être après le début."),
            ),
        ]

    def __str__(self):
        return self.full_title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        self.title = single_line(self.title)
        if self.calendar_changed():
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)
        self.remember_calendar_state()
        page_cache.event_changed(self)  # after commit (newsroom/cache.py)

    save.alters_data = True

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def get_ics_url(self):
        return reverse("events:ics", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("La fin doit être après le début.")
        if self.status == EventStatus.SCHEDULED and self.status_reason:
            errors["status_reason"] = _("Le motif ne s'affiche que pour un événement annulé ou reporté.")
        if self.edition_label and not self.edition:
            errors["edition"] = _("Indiquez le numéro d'édition que ce libellé remplace.")
        if self.announces_id and self.pk and self.announces_id == self.pk:
            errors["announces"] = _("Un événement ne peut pas s'annoncer lui-même.")
        if self.image and not self.image_credit:
            errors["image_credit"] = _("Indiquez le crédit de la photo.")
        if self.admission == Admission.PAID and self.price is None:
            errors["price"] = _("Indiquez le prix d'une entrée payante.")
        if self.admission != Admission.PAID and self.price is not None:
            errors["price"] = _("Un prix ne s'indique que pour une entrée payante.")
        deadline = self.registration_deadline
        if deadline and self.starts_at and deadline > self.calendar_ends_at:
            errors["registration_deadline"] = _("La date limite doit précéder la fin de l'événement.")
        if self.registration_deadline and not self.registration_link:
            errors["registration_url"] = _("Indiquez le lien ou l'e-mail d'inscription de cette date limite.")
        if errors:
            raise ValidationError(errors)

    @property
    def absolute_url(self):
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def edition_text(self):
        """« 3es », or what the editors wrote instead; "" without an edition."""
        if self.edition_label:
            return self.edition_label
        if not self.edition:
            return ""
        series = self.series
        if series is None:
            return french_ordinal(self.edition, feminine=False, plural=False)
        return french_ordinal(self.edition, feminine=series.feminine, plural=series.plural)

    @property
    def full_title(self):
        """« 3es Rencontres du Forum Smart City Marseille Méditerranée »."""
        return f"{self.edition_text} {self.title}" if self.edition_text else self.title

    @property
    def calendar_uid(self):
        """Stable for the life of the event, whatever its slug or dates become."""
        host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        return f"event-{self.pk}@{host}"

    @property
    def calendar_ends_at(self):
        """Calendars need an end: the real one, or a default duration."""
        return self.ends_at or self.starts_at + timedelta(minutes=settings.EVENTS_DEFAULT_DURATION_MINUTES)

    @property
    def is_published(self):
        return (
            self.publication_status == PublicationStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def is_postponed(self):
        return self.status == EventStatus.POSTPONED

    @property
    def is_past(self):
        now = timezone.now()
        if self.ends_at:
            return self.ends_at < now
        return timezone.localdate(self.starts_at) < timezone.localdate(now)

    @property
    def registration_link(self):
        """Where « S'inscrire » leads: the form, or a prepared e-mail."""
        if self.registration_url:
            return self.registration_url
        if self.registration_email:
            subject = _("Inscription : %(title)s") % {"title": self.full_title}
            return f"mailto:{self.registration_email}?{urlencode({'subject': subject}, quote_via=quote)}"
        return ""

    @property
    def registration_state(self):
        """A `RegistrationState`: what the call to action says now."""
        if self.is_cancelled:
            return RegistrationState.CANCELLED
        if self.is_past:
            return RegistrationState.OVER
        if self.is_full or self.remaining_places == 0:
            return RegistrationState.FULL
        if not self.registration_link:
            return RegistrationState.NONE
        if self.registration_deadline and self.registration_deadline < timezone.now():
            return RegistrationState.CLOSED
        return RegistrationState.OPEN

    @property
    def remaining_capacity(self):
        """Places left when known: 0 when full, None when nobody said."""
        return 0 if self.is_full else self.remaining_places


class EventOrganiser(models.Model):
    """A partner organisation of one event, in the order the editors chose."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organiser_links")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(
        _("ordre"), default=0, help_text=_("Ordre d'affichage (du plus petit au plus grand).")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("organisateur")
        verbose_name_plural = _("organisateurs")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"],
                name="unique_event_organiser",
                violation_error_message=_("Cette organisation figure déjà parmi les organisateurs."),
            )
        ]

    def __str__(self):
        return str(self.organisation)


class ProgrammeKind(models.TextChoices):
    ROUND_TABLE = "round_table", _("Table ronde")
    KEYNOTE = "keynote", _("Grand témoin")
    TALK = "talk", _("Intervention")
    PRESS_CONFERENCE = "press_conference", _("Conférence de presse")
    WORKSHOP = "workshop", _("Atelier")
    WELCOME = "welcome", _("Accueil")
    BREAK = "break", _("Pause")
    OTHER = "other", _("Autre")


class ProgrammeItem(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="programme_items"
    )
    starts_at = models.DateTimeField(_("début"), help_text=_("Date et heure de Paris, pendant l'événement."))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True, help_text=_("Facultatif."))
    kind = models.CharField(
        _("type"), max_length=30, choices=ProgrammeKind.choices, default=ProgrammeKind.TALK
    )
    title = models.CharField(
        _("titre"), max_length=250, help_text=_("Par exemple « Quelle stratégie pour les métropoles ? ».")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Quelques phrases, sans mise en forme.")
    )
    people = models.ManyToManyField(
        Person, through="Participation", related_name="programme_items", blank=True
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("séquence du programme")
        verbose_name_plural = _("programme")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = single_line(self.title)
        super().save(*args, **kwargs)

    save.alters_data = True

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("La fin de la séquence doit être après son début.")
        event = self._event_or_none()
        if event is not None and event.starts_at and self.starts_at:
            if self.starts_at < event.starts_at:
                errors["starts_at"] = _("La séquence commence avant le début de l'événement.")
            elif event.ends_at and self.starts_at > event.ends_at:
                errors["starts_at"] = _("La séquence commence après la fin de l'événement.")
            elif not event.ends_at and timezone.localdate(self.starts_at) != timezone.localdate(
                event.starts_at
            ):
                errors["starts_at"] = _("La séquence doit avoir lieu le jour de l'événement.")
            if "starts_at" not in errors and event.ends_at and self.ends_at and self.ends_at > event.ends_at:
                errors["ends_at"] = _("La séquence finit après la fin de l'événement.")
        if errors:
            raise ValidationError(errors)

    def _event_or_none(self):
        try:
            return self.event
        except Event.DoesNotExist:
            return None


class ParticipantRole(models.TextChoices):
    SPEAKER = "speaker", _("Intervenant")
    MODERATOR = "moderator", _("Animateur")


class ParticipationQuerySet(models.QuerySet):
    def at_events(self, events):
        """Participations in the programme of `events` (a queryset), with
        what a speaker's page shows of each, latest first."""
        return (
            self.filter(item__event__in=events)
            .select_related("item__event__venue", "item__event__series")
            .select_related("organisation", "person__organisation")
            .order_by("-item__starts_at", "-pk")
        )


class Participation(models.Model):
    """A person in a programme item, with the job they held *at that event*:
    copied from the person when the event is published
    (`events.services.freeze_participants`), so that a later change of job
    does not rewrite the event's page."""

    item = models.ForeignKey(
        ProgrammeItem, verbose_name=_("séquence"), on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(Person, verbose_name=_("personne"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        _("rôle"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.SPEAKER
    )
    position = models.PositiveSmallIntegerField(
        _("ordre"), default=0, help_text=_("Ordre d'affichage (du plus petit au plus grand).")
    )
    job_title = models.CharField(
        _("fonction lors de l'événement"),
        max_length=250,
        blank=True,
        help_text=_(
            "Reprise de la fiche de la personne à la publication de l'événement, puis figée. "
            "Avant : à remplir seulement si elle diffère de sa fonction actuelle."
        ),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation lors de l'événement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Reprise de la fiche de la personne à la publication de l'événement, puis figée."),
    )
    frozen_at = models.DateTimeField(
        _("fonction figée le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Quand la fonction et l'organisation ont été copiées de la fiche de la personne."),
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "person"],
                name="unique_participant_per_item",
                violation_error_message=_("Cette personne figure déjà dans cette séquence."),
            )
        ]

    def __str__(self):
        return str(self.person)

    @property
    def shown_job_title(self):
        """The job at the event: frozen at publication, or today's until then."""
        if self.frozen_at:
            return self.job_title
        return self.job_title or self.person.job_title

    @property
    def shown_organisation(self):
        if self.frozen_at:
            return self.organisation
        return self.organisation or self.person.organisation

    def freeze(self, *, at):
        """Copy the person's current job and organisation where none was
        entered for this event; the caller saves."""
        if self.frozen_at is None:
            self.job_title = self.job_title or self.person.job_title
            self.organisation_id = self.organisation_id or self.person.organisation_id
            self.frozen_at = at

    freeze.alters_data = True
