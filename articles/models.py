from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.images import delete_renditions, process_new_image
from articles.sanitize import sanitize_html


class SectionQuerySet(models.QuerySet):
    def in_navigation(self):
        return self.filter(in_navigation=True).order_by("position", "name")


class Section(models.Model):
    """A rubrique: Économie, Territoires, Innovation…"""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(
        _("fin de l'adresse"),
        max_length=80,
        unique=True,
        help_text=_(
            "La page de la rubrique : /rubrique/<strong>economie</strong>/. "
            "Lettres sans accent, chiffres et tirets ; se remplit depuis le nom."
        ),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Phrase d'introduction affichée en tête de rubrique.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Ordre dans la navigation (du plus petit au plus grand).")
    )
    in_navigation = models.BooleanField(
        _("dans la navigation"), default=True, help_text=_("Afficher la rubrique dans le bandeau du site.")
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("rubrique")
        verbose_name_plural = _("rubriques")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(
        _("fin de l'adresse"),
        max_length=80,
        unique=True,
        help_text=_(
            "La page du mot-clé : /mot-cle/<strong>smart-city</strong>/. "
            "Lettres sans accent, chiffres et tirets ; se remplit depuis le nom."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("mot-clé")
        verbose_name_plural = _("mots-clés")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Author(models.Model):
    """A journalist with a public byline, optionally linked to a staff account."""

    name = models.CharField(_("nom affiché"), max_length=120, help_text=_("Signature publique."))
    slug = models.SlugField(
        _("fin de l'adresse"),
        max_length=120,
        unique=True,
        help_text=_(
            "La page de l'auteur : /auteur/<strong>claire-martin</strong>/. "
            "Lettres sans accent, chiffres et tirets ; se remplit depuis le nom."
        ),
    )
    job_title = models.CharField(
        _("fonction"), max_length=120, blank=True, help_text=_("Par exemple « Journaliste, Marseille ».")
    )
    bio = models.TextField(
        _("biographie"), blank=True, help_text=_("Quelques lignes sur la page de l'auteur.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text=_("Compte d'administration de ce journaliste, s'il en a un."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("auteur")
        verbose_name_plural = _("auteurs")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what readers may see: published, and whose
        publication time has come. A future date means scheduled: the article
        goes live by itself at that time, with no cron job."""
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__gt=timezone.now())

    def for_listing(self):
        """What a list of article cards needs, in a fixed number of queries."""
        return self.select_related("section").prefetch_related("authors").order_by("-published_at", "-pk")

    def most_read(self, days=7, limit=5):
        """The articles read most over the last `days` days, most read first,
        in one query. Each carries `recent_views`."""
        since = timezone.localdate() - timedelta(days=days - 1)
        return (
            self.filter(daily_views__day__gte=since)
            .annotate(recent_views=models.Sum("daily_views__count"))
            .select_related("section")
            .order_by("-recent_views", "-published_at", "-pk")[:limit]
        )

    def related_to(self, article, *, limit=4):
        """« À lire aussi »: up to `limit` articles of this queryset sharing a
        tag with `article`, most recent first, then (to fill up) the most
        recent of its section; never `article` itself. Always two queries,
        whatever the archive's size or the article's tags: each is a
        recent-first walk that stops at `limit`."""
        tagging = Article.tags.through.objects
        its_tags = tagging.filter(article_id=article.pk).values("tag_id")
        recent = self.exclude(pk=article.pk).select_related("section").order_by("-published_at", "-pk")
        sharing_a_tag = list(
            recent.filter(pk__in=tagging.filter(tag_id__in=its_tags).values("article_id"))[:limit]
        )
        same_section = list(recent.filter(section_id=article.section_id)[:limit])
        seen = {related.pk for related in sharing_a_tag}
        return (sharing_a_tag + [related for related in same_section if related.pk not in seen])[:limit]

    def visible_to(self, user):
        """Staff may preview drafts and scheduled articles at their real URL."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


class Article(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(
        _("fin de l'adresse"),
        max_length=200,
        unique=True,
        help_text=_(
            "L'adresse de l'article : /articles/<strong>quelle-place-pour-le-numerique</strong>/. "
            "Lettres sans accent, chiffres et tirets ; se remplit depuis le titre."
        ),
    )
    standfirst = models.TextField(
        _("chapô"),
        max_length=600,
        help_text=_("Deux ou trois phrases qui résument l'article, sous le titre."),
    )
    body = models.TextField(
        _("corps"),
        help_text=_("Texte de l'article avec intertitres, listes, citations et liens."),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("rubrique"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("mots-clés"), blank=True, related_name="articles")
    authors = models.ManyToManyField(
        Author, verbose_name=_("auteurs"), related_name="articles", help_text=_("Signataires de l'article.")
    )

    image = models.ImageField(
        _("photo principale"),
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text=_("JPEG, PNG ou WebP, 10 Mo et 40 mégapixels au plus."),
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("texte alternatif"),
        max_length=250,
        blank=True,
        help_text=_("Ce que montre la photo, pour les lecteurs qui ne la voient pas."),
    )
    image_caption = models.CharField(_("légende"), max_length=300, blank=True)
    image_credit = models.CharField(
        _("crédit photo"),
        max_length=150,
        blank=True,
        help_text=_("Obligatoire avec une photo, par exemple « Schneider Electric »."),
    )
    image_renditions = models.JSONField(
        _("déclinaisons de la photo"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Tailles produites à l'enregistrement de la photo."),
    )

    status = models.CharField(
        _("statut"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(
        _("date de publication"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Une date future programme la publication : l'article paraîtra seul à cette heure."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    comments_enabled = models.BooleanField(
        _("commentaires ouverts"), default=True, help_text=_("Décocher pour fermer les commentaires.")
    )
    seo_description = models.CharField(
        _("description pour les moteurs de recherche"),
        max_length=300,
        blank=True,
        help_text=_("Résumé de 160 caractères environ ; à défaut, le chapô est utilisé."),
    )

    # Denormalised by the comments app when a comment changes state, so that
    # lists never count comments row by row.
    approved_comment_count = models.PositiveIntegerField(_("commentaires publiés"), default=0, editable=False)
    comments_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whatever path writes the body (admin, demo, shell), only allow-listed
        # HTML is stored.
        self.body = sanitize_html(self.body)
        # A newly assigned photo (not yet written to storage) is cleaned and
        # its renditions made here, once, so that every path gets them.
        if self.image and not self.image._committed:
            old_renditions = self.image_renditions
            self.image_width, self.image_height, self.image_renditions = process_new_image(self.image)
            delete_renditions(old_renditions)
        elif not self.image and self.image_renditions:
            delete_renditions(self.image_renditions)
            self.image_renditions = []
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.image and not self.image_credit.strip():
            errors["image_credit"] = _("Indiquez le crédit de la photo, par exemple « Schneider Electric ».")
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = _(
                "Décrivez la photo en quelques mots pour les lecteurs qui ne la voient pas."
            )
        if errors:
            raise ValidationError(errors)
        if self.status == ArticleStatus.PUBLISHED and self.published_at is None:
            # « Publié » without a date means « now ».
            self.published_at = timezone.now()

    @property
    def is_published(self):
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def meta_description(self):
        return self.seo_description or self.standfirst


class ArticleDailyView(models.Model):
    """How many times readers opened an article on one day (Europe/Paris).

    One row per article and day, incremented in place by
    `articles.services.record_article_view`, so that concurrent readers never
    lose a count and the article page itself never writes.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField(_("jour"))
    count = models.PositiveIntegerField(_("lectures"), default=0)

    class Meta:
        verbose_name = _("lectures du jour")
        verbose_name_plural = _("lectures par jour")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="unique_article_day_views")]
        indexes = [models.Index(fields=["day", "article"])]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.count}"
