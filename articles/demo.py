"""Demo content for the articles app (called by `manage.py load_demo`).

The smart-city feature uses the facts of `shared/product.md`; its paragraphs
are written by the project, not copied from the source article.
"""

import io
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFilter

from articles.models import Article, ArticleDailyView, ArticleStatus, Author, Section, Tag

SMART_CITY_SLUG = "quelle-place-pour-le-numerique-dans-le-developpement-des-metropoles"


def smart_city_standfirst(calendar):
    """The chapô: it announces the Rencontres at their date in the demo's calendar."""
    return (
        "Le numérique s’invite dans toutes les stratégies métropolitaines, de la vie quotidienne "
        "des habitants à la croissance économique, à condition de suivre un plan bien dessiné. "
        f"Le sujet sera débattu à Marseille, {calendar.rencontres_text}, lors des 3es Rencontres du "
        "Forum Smart City Marseille Méditerranée."
    )


def smart_city_body(calendar):
    """The body: written for the demo (no sentence of the source), in the
    future tense where it speaks of the Rencontres, with the same dates as the
    event pages."""
    return f"""
<p>Réseaux électriques pilotés en temps réel, transports qui s’ajustent à la fréquentation,
services publics accessibles depuis un téléphone : dans les grandes agglomérations, le numérique
n’est plus un chantier à part. Il traverse chaque politique publique, et les élus comme les
entreprises cherchent désormais la bonne méthode plutôt que la bonne technologie.</p>
<h2>Omniprésence</h2>
<p>Les réseaux intelligents, ou <em>smart grids</em>, en donnent la mesure. En croisant la
production et la consommation d’énergie quartier par quartier, ils permettent de lisser les pics
et d’accueillir les énergies renouvelables. La mobilité suit le même chemin : capteurs,
billettique et information des voyageurs reposent sur la même matière première, la donnée.</p>
<p>La sécurité publique n’échappe pas au mouvement. À Marseille, la police municipale a été
équipée d’outils numériques qui facilitent la remontée d’informations du terrain et la
coordination des patrouilles.</p>
<h2>Efficience du citoyen</h2>
<p>Reste à savoir à qui profite cette masse de données. Pour les élus et les responsables du
numérique attendus aux Rencontres, la réponse tient en un mot : au citoyen. Signalement d’un
incident sur la voirie, suivi d’une démarche, consultation sur un projet d’aménagement :
l’habitant n’est plus seulement usager, il devient co-constructeur de la ville intelligente.</p>
<blockquote><p>La technologie n’a de valeur que si elle simplifie la vie des habitants.</p></blockquote>
<h2>Travailler avec les entreprises</h2>
<p>Les collectivités ne peuvent pas tout inventer seules. Les start-up apportent des solutions
agiles, les grands groupes leur capacité à déployer, et les territoires un terrain
d’expérimentation. Encore faut-il des règles du jeu claires, des appels à projets ouverts et des
données publiques réutilisables.</p>
<p>Marseille dispose pour cela d’un atout singulier : grâce aux câbles sous-marins qui y
atterrissent, la ville est devenue le premier site d’implantation de datacenters en France,
une infrastructure qui attire opérateurs et entreprises du numérique.</p>
<p>Ces questions seront au cœur de la table ronde « Quelle stratégie pour les métropoles ? »,
{calendar.rencontres_text} à 10 h à la Villa Gaby, avant la présentation du Forum Smart City
Marseille Méditerranée, qui se tiendra les {calendar.forum_text} au Palais du Pharo.</p>
"""


SECTIONS = [
    ("Économie", "economie", "Entreprises, emploi et conjoncture en région."),
    ("Territoires", "territoires", "Métropoles, villes et collectivités."),
    ("Innovation", "innovation", "Numérique, start-up et recherche."),
]

AUTHORS = [
    ("Claire Martin", "claire-martin", "Journaliste, Marseille"),
    ("Julien Roux", "julien-roux", "Journaliste, Aix-en-Provence"),
    ("Sophie Benali", "sophie-benali", "Cheffe de la rubrique Innovation"),
]

TAGS = [
    ("Smart city", "smart-city"),
    ("Marseille", "marseille"),
    ("Numérique", "numerique"),
    ("Énergie", "energie"),
    ("Start-up", "start-up"),
    ("Transports", "transports"),
    ("Emploi", "emploi"),
]

# Title, section, tags. The first five get a generated photo.
OTHER_ARTICLES = [
    ("Le port de Marseille-Fos accélère son électrification des quais", "economie", ["energie", "marseille"]),
    (
        "Les start-up marseillaises ont levé un montant record cette année",
        "innovation",
        ["start-up", "marseille"],
    ),
    ("La métropole lance un plan pour les zones d’activité", "territoires", ["emploi"]),
    (
        "Aix-en-Provence mise sur la French Tech pour attirer les talents",
        "innovation",
        ["start-up", "numerique"],
    ),
    ("Le tourisme d’affaires retrouve des couleurs sur la Côte Bleue", "economie", []),
    ("Transports : les nouvelles lignes de bus à haut niveau de service", "territoires", ["transports"]),
    ("Industrie : l’aéronautique recrute dans l’étang de Berre", "economie", ["emploi"]),
    ("Données publiques : la région ouvre un nouveau portail", "innovation", ["numerique", "smart-city"]),
    ("Toulon et Marseille unissent leurs incubateurs", "innovation", ["start-up", "marseille"]),
    ("Commerce de centre-ville : les chiffres du premier semestre", "economie", []),
    ("Logement : la métropole veut accélérer les chantiers", "territoires", []),
    ("L’hydrogène vert s’installe à Fos-sur-Mer", "economie", ["energie"]),
]
PHOTOS_FOR_OTHER_ARTICLES = 5


def load(*, calendar, stdout=None):
    """Create the sections, authors, the smart-city feature and a dozen other
    articles. Idempotent: objects are looked up by slug, never duplicated; the
    feature's chapô and body follow `calendar` (a `newsroom.demo.DemoCalendar`),
    so a demo loaded again after the Rencontres announces the new dates."""
    now = timezone.now()
    sections = {}
    for position, (name, slug, description) in enumerate(SECTIONS):
        sections[slug], _created = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    authors = []
    for name, slug, job_title in AUTHORS:
        author, _created = Author.objects.get_or_create(
            slug=slug, defaults={"name": name, "job_title": job_title}
        )
        authors.append(author)
    tags = {}
    for name, slug in TAGS:
        tags[slug], _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})

    feature, created = Article.objects.get_or_create(
        slug=SMART_CITY_SLUG,
        defaults={
            "title": "Quelle place pour le numérique dans le développement des métropoles ?",
            "standfirst": smart_city_standfirst(calendar),
            "body": smart_city_body(calendar),
            "section": sections["innovation"],
            "status": ArticleStatus.PUBLISHED,
            "published_at": now - timedelta(hours=2),
            "image_alt": "Vue d’une métropole la nuit, parcourue de réseaux lumineux",
            "image_caption": "Illustration de démonstration : réseaux d’énergie, mobilité, données, "
            "la ville se pilote de plus en plus par le numérique.",
            "image_credit": "Schneider Electric",
            "seo_description": "Smart grids, mobilité, sécurité, données : les métropoles débattent de la "
            "place du numérique aux Rencontres du Forum Smart City Marseille Méditerranée.",
        },
    )
    if created:
        feature.authors.set([authors[0]])
        feature.tags.set([tags["smart-city"], tags["marseille"], tags["numerique"]])
    elif feature.standfirst != smart_city_standfirst(calendar):
        # Loaded again after the Rencontres: the feature announces the new dates.
        feature.standfirst = smart_city_standfirst(calendar)
        feature.body = smart_city_body(calendar)
        feature.save(update_fields=["standfirst", "body", "updated_at"])
    if not feature.image and not feature.image_is_processing():
        # Through Article.save(), like an upload: metadata stripped, renditions made.
        feature.image = ContentFile(night_skyline_jpeg(), name="smart-city-marseille.jpg")
        feature.save()

    others = []
    for index, (title, section_slug, tag_slugs) in enumerate(OTHER_ARTICLES):
        article, created = Article.objects.get_or_create(
            slug=slugify(title)[:200],
            defaults={
                "title": title,
                "standfirst": f"{title}. Le point sur un dossier suivi de près par la rédaction "
                "et par les acteurs économiques de la région.",
                "body": "<p>Article de démonstration : la rédaction détaille ici les chiffres, "
                "les acteurs et les prochaines étapes du dossier.</p><h2>Les enjeux</h2>"
                "<p>Entreprises, collectivités et salariés sont concernés au premier chef.</p>",
                "section": sections[section_slug],
                "status": ArticleStatus.PUBLISHED,
                "published_at": now - timedelta(days=index + 1, hours=index),
            },
        )
        others.append(article)
        if created:
            article.authors.set([authors[(index + 1) % len(authors)]])
        article.tags.add(*(tags[slug] for slug in tag_slugs))
        if index < PHOTOS_FOR_OTHER_ARTICLES and not article.image and not article.image_is_processing():
            article.image_alt = "Illustration abstraite aux couleurs de la rubrique"
            article.image_caption = "Illustration de démonstration."
            article.image_credit = "Newsroom (image de démonstration)"
            article.image = ContentFile(abstract_jpeg(seed=index), name=f"{article.slug[:60]}.jpg")
            article.save()
    seed_reads([feature, *others])
    if stdout:
        stdout.write(f"Articles : {Article.objects.count()} en base, dont l’article smart city.")
    return feature


def seed_reads(articles, *, days=7):
    """Reads over the last `days` days, so that « Sujets les + lus » is not
    empty on a fresh demo: the first article the most read, then fewer and
    fewer. Days are relative to today (Europe/Paris); a day already counted is
    left as it is, so loading the demo twice the same day changes nothing."""
    today = timezone.localdate()
    for rank, article in enumerate(articles):
        for age in range(days):
            count = max(0, 120 - 15 * rank - 5 * age)
            if count:
                ArticleDailyView.objects.get_or_create(
                    article=article, day=today - timedelta(days=age), defaults={"count": count}
                )


def night_skyline_jpeg(width=1600, height=900):
    """A stylised metropolis at night, drawn with Pillow: a dusk gradient,
    towers with lit windows, and a glowing network linking the rooftops (the
    smart grid). Deterministic, so every demo load draws the same picture."""
    rng = random.Random(2023)
    image = _vertical_gradient(width, height, (8, 12, 40), (92, 44, 110))
    draw = ImageDraw.Draw(image)
    for _star in range(160):
        x, y = rng.randrange(width), rng.randrange(height // 2)
        shade = rng.randrange(150, 255)
        draw.point((x, y), fill=(shade, shade, shade))
    draw.ellipse((width - 260, 70, width - 170, 160), fill=(245, 240, 210))

    rooftops = []
    x = 0
    while x < width:
        tower_width = rng.randrange(50, 130)
        tower_top = rng.randrange(height // 3, height - 180)
        color = (rng.randrange(14, 30), rng.randrange(16, 34), rng.randrange(40, 62))
        draw.rectangle((x, tower_top, x + tower_width, height), fill=color)
        for window_y in range(tower_top + 12, height - 10, 18):
            for window_x in range(x + 8, x + tower_width - 10, 14):
                if rng.random() < 0.35:
                    draw.rectangle(
                        (window_x, window_y, window_x + 6, window_y + 9),
                        fill=rng.choice([(255, 214, 120), (255, 236, 170), (120, 200, 255)]),
                    )
        rooftops.append((x + tower_width // 2, tower_top))
        x += tower_width + rng.randrange(0, 12)

    glow = Image.new("RGB", (width, height))
    glow_draw = ImageDraw.Draw(glow)
    for (x1, y1), (x2, y2) in zip(rooftops, rooftops[2:], strict=False):
        glow_draw.line((x1, y1 - 20, x2, y2 - 20), fill=(0, 200, 255), width=3)
    for x, y in rooftops:
        glow_draw.ellipse((x - 7, y - 27, x + 7, y - 13), fill=(120, 255, 230))
    glow = glow.filter(ImageFilter.GaussianBlur(3))
    image = Image.composite(glow, image, glow.convert("L").point(lambda value: min(255, value * 2)))
    return _jpeg(image)


def abstract_jpeg(*, seed, width=1200, height=675):
    """A colourful abstract illustration: a gradient and translucent discs."""
    rng = random.Random(seed)
    palettes = [
        ((10, 60, 110), (0, 160, 170)),
        ((120, 30, 60), (240, 140, 60)),
        ((30, 80, 40), (170, 200, 80)),
        ((40, 40, 90), (150, 110, 220)),
        ((90, 60, 20), (230, 190, 90)),
    ]
    top, bottom = palettes[seed % len(palettes)]
    image = _vertical_gradient(width, height, top, bottom).convert("RGBA")
    overlay = Image.new("RGBA", (width, height))
    draw = ImageDraw.Draw(overlay)
    for _disc in range(14):
        radius = rng.randrange(40, 220)
        x, y = rng.randrange(width), rng.randrange(height)
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, rng.randrange(20, 70))
        )
    return _jpeg(Image.alpha_composite(image, overlay).convert("RGB"))


def _vertical_gradient(width, height, top, bottom):
    column = Image.new("RGB", (1, height))
    for y in range(height):
        ratio = y / max(1, height - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * ratio) for a, b in zip(top, bottom, strict=True)))
    return column.resize((width, height))


def _jpeg(image):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
