from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles.images import ImageSpec, ProcessedImagesMixin, processing_field
from articles.sanitize import sanitize_html
from articles.search import SEARCHED_FIELDS, search_text_for
from newsroom import cache as page_cache
from newsroom.text import single_line


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
    """The editorial workflow: a writer drafts, submits for review; only the
    editor-in-chief (`articles.publish_article`) publishes or schedules."""

    DRAFT = "draft", _("Brouillon")
    REVIEW = "review", _("À relire")
    PUBLISHED = "published", _("Publié")


PUBLISH_PERMISSION = "articles.publish_article"


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
        in one query. Each carries `recent_views`, its total over those days.

        Exact, and bounded whatever the archive, without a GROUP BY over every
        article read that week:

        1. seed: yesterday's `SIDEBAR_SEED` most read published articles
           (the top of the `article_daily_view_ranking` index for one day);
           `floor` is the `limit`-th best of their totals over the window, so
           the true `limit`-th best total is at least `floor`;
        2. an article whose total reaches `floor` over `days` days was read
           at least `floor / days` times on one of them: the candidates are
           the rows of the window at or above that count (one index range
           per day), the strongest `SIDEBAR_CANDIDATE_ROWS` of them (a few
           dozen in a news site's long tail; the cap keeps the cost, and the
           planner's estimate, bounded when reads are flat);
        3. the candidates' totals are read from their own (article, day) rows
           and the best `limit` kept.
        """
        today = timezone.localdate()
        window = [today - timedelta(days=offset) for offset in range(days)]
        seed_day = window[1] if days > 1 else today
        seed = (
            ArticleDailyView.objects.filter(day=seed_day, article__in=self.values("pk"))
            .order_by("-count", "-article")
            .values("article")[:SIDEBAR_SEED]
        )
        floor = (
            ArticleDailyView.objects.filter(day__in=window, article__in=seed)
            .values("article")
            .annotate(total=models.Sum("count"))
            .order_by("-total", "-article")
            .values("total")[limit - 1 : limit]
        )
        daily_threshold = Coalesce(models.Subquery(floor), 0) / days
        candidates = (
            ArticleDailyView.objects.filter(day__in=window, count__gte=daily_threshold)
            .order_by("-count")
            .values("article")[:SIDEBAR_CANDIDATE_ROWS]
        )
        views = (
            ArticleDailyView.objects.filter(article=models.OuterRef("pk"), day__in=window)
            .order_by()
            .values("article")
            .annotate(total=models.Sum("count"))
            .values("total")
        )
        return (
            self.filter(pk__in=candidates)
            .annotate(recent_views=models.Subquery(views))
            .only("title", "slug", "published_at")
            .order_by("-recent_views", "-published_at", "-pk")[:limit]
        )

    def in_review(self):
        return self.filter(status=ArticleStatus.REVIEW)

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
        """Who may read an article that is not published yet, at its real URL
        (the preview): only accounts allowed to view articles in the admin
        (`articles.view_article`). Any other account, staff or not, sees what
        readers see."""
        if user.is_authenticated and user.has_perm("articles.view_article"):
            return self
        return self.published()

    # The SQLite search text follows every write path; on PostgreSQL a
    # trigger keeps the search document (see articles/search.py).

    def update(self, **kwargs):
        if not _keeps_search_text(self.db) or not SEARCHED_FIELDS_SET.intersection(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            changed = super().update(**kwargs)
            Article.objects.using(self.db).filter(pk__in=pks).refresh_search_text()
        return changed

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if _keeps_search_text(self.db):
            for article in objs:
                article.search_text = article.build_search_text()
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if _keeps_search_text(self.db) and SEARCHED_FIELDS_SET.intersection(fields):
            for article in objs:
                article.search_text = article.build_search_text()
            fields.append("search_text")
        return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True

    def refresh_search_text(self):
        """Rebuild the SQLite search text of these articles (no-op on PostgreSQL)."""
        if not _keeps_search_text(self.db):
            return
        articles = list(self.only("pk", *SEARCHED_FIELDS))
        for article in articles:
            article.search_text = article.build_search_text()
        models.QuerySet.bulk_update(self, articles, ["search_text"], batch_size=500)

    refresh_search_text.alters_data = True


SEARCHED_FIELDS_SET = frozenset(SEARCHED_FIELDS)
# A sidebar ranks this many times more candidates than it shows, in case
# some of the best are no longer published.
SIDEBAR_CANDIDATES = 4
# « Les + lus » takes its lower bound from yesterday's this many most read.
SIDEBAR_SEED = 20
SIDEBAR_CANDIDATE_ROWS = 500
# Derived columns: never loaded unless asked for, never serialised.
SEARCH_COLUMNS = ("search_document", "search_text")


def _keeps_search_text(alias):
    """SQLite searches a normalised text kept by the model; PostgreSQL keeps
    its search document with a trigger."""
    return connections[alias].vendor != "postgresql"


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        return super().get_queryset().defer(*SEARCH_COLUMNS)


class Article(ProcessedImagesMixin, models.Model):
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
        help_text=_(
            "JPEG, PNG ou WebP, 10 Mo et 40 mégapixels au plus. Les tailles pour téléphone et ordinateur "
            "sont préparées juste après l'enregistrement ; la page garde la photo précédente (ou aucune) "
            "d'ici là."
        ),
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
    image_processing = processing_field(_("traitement de la photo"))

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
    significant_update_at = models.DateTimeField(
        _("modification significative le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Date affichée aux lecteurs (« mis à jour le … ») : seulement quand un éditeur coche "
            "« modification significative » en enregistrant."
        ),
    )
    corrected_at = models.DateTimeField(
        _("dernier rectificatif le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Date du dernier rectificatif publié sous cet article."),
    )
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

    # Search (articles/search.py). PostgreSQL: the weighted, unaccented French
    # document, GIN-indexed and kept by a trigger. SQLite: the folded words.
    search_document = SearchVectorField(null=True, editable=False, serialize=False)
    search_text = models.TextField(null=True, editable=False, serialize=False)

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # Section pages, their count and their last page: one index range.
            models.Index(fields=["section", "status", "published_at", "id"], name="article_section_listing"),
        ]
        permissions = [
            ("publish_article", _("Peut publier, programmer, dépublier et rectifier un article")),
        ]

    IMAGE_FIELDS = {"image": ImageSpec(folder="articles")}

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whatever path writes the body (admin, demo, shell), only allow-listed
        # HTML is stored, and the title holds no control character (it goes
        # into e-mail subjects, feeds and <title>).
        self.body = sanitize_html(self.body)
        self.title = single_line(self.title)
        # A newly assigned photo goes to the image pipeline (ProcessedImagesMixin).
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        update_fields = kwargs.get("update_fields")
        if _keeps_search_text(using) and (
            update_fields is None or SEARCHED_FIELDS_SET.intersection(update_fields)
        ):
            self.search_text = self.build_search_text()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        # The pages it was on, then after commit those it is on now, are
        # dropped from the cache (newsroom/cache.py).
        before = page_cache.ArticleState(self)
        super().save(*args, **kwargs)
        page_cache.article_changed(self, before=before)

    save.alters_data = True

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def build_search_text(self):
        return search_text_for(title=self.title, standfirst=self.standfirst, body=self.body)

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
    def is_public(self):
        """Published or scheduled: the address is (or will be) known to readers."""
        return self.status == ArticleStatus.PUBLISHED and self.published_at is not None

    @property
    def meta_description(self):
        return self.seo_description or self.standfirst

    @property
    def shown_update(self):
        """« mis à jour le … »: only a change an editor called significant."""
        if (
            self.published_at
            and self.significant_update_at
            and self.significant_update_at > self.published_at
        ):
            return self.significant_update_at
        return None

    @property
    def public_modified_at(self):
        """What feeds and JSON-LD call the last modification: publication,
        a significant update or a correction, whichever is latest."""
        moments = [self.published_at, self.shown_update, self.corrected_at]
        return max((moment for moment in moments if moment), default=None)

    @cached_property
    def public_corrections(self):
        """The corrections readers see, oldest first. No query for an article
        never corrected (`corrected_at` is empty), one otherwise."""
        if self.corrected_at is None:
            return []
        return list(self.corrections.order_by("published_at", "pk"))

    @property
    def top_corrections(self):
        return [c for c in self.public_corrections if c.position == CorrectionPosition.TOP]

    @property
    def bottom_corrections(self):
        return [c for c in self.public_corrections if c.position == CorrectionPosition.BOTTOM]


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
        # « Les + lus »: one day's most read, and the rows of a window at or
        # above a count, from this index alone (see ArticleQuerySet.most_read).
        indexes = [models.Index(fields=["day", "count", "article"], name="article_daily_view_ranking")]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.count}"


class CorrectionPosition(models.TextChoices):
    TOP = "top", _("En haut de l'article")
    BOTTOM = "bottom", _("En bas de l'article")


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections of articles readers can see, newest first."""
        return (
            self.filter(article__status=ArticleStatus.PUBLISHED, article__published_at__lte=timezone.now())
            .select_related("article")
            .order_by("-published_at", "-pk")
        )


class Correction(models.Model):
    """A public correction of a published article: dated, signed by the
    newsroom, shown on the article and on the « Rectificatifs » page. Only
    through `articles.services.add_correction` (publish permission)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    published_at = models.DateTimeField(_("date du rectificatif"), default=timezone.now)
    note = models.TextField(
        _("texte du rectificatif"),
        max_length=1000,
        help_text=_(
            "Public. Par exemple : « Une version précédente de cet article indiquait que le Forum "
            "se tenait au Pharo le 14 octobre ; il s'y tient les 14 et 15 septembre. »"
        ),
    )
    position = models.CharField(
        _("emplacement"),
        max_length=10,
        choices=CorrectionPosition.choices,
        default=CorrectionPosition.TOP,
        help_text=_("Où les lecteurs voient le rectificatif sur la page de l'article."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ajouté par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("rectificatif")
        verbose_name_plural = _("rectificatifs")
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="correction_newest_idx"),
            models.Index(fields=["article", "published_at"], name="correction_article_idx"),
        ]

    def __str__(self):
        return _("Rectificatif du %(date)s") % {
            "date": timezone.localtime(self.published_at).strftime("%d/%m/%Y")
        }
