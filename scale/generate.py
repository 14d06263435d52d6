"""A realistic large archive, generated fast (`manage.py generate_scale_data`).

What it makes, for `articles` articles and `comments` comments:

- 8 sections, authors and tags in proportion, events (one per 1,000 articles);
- articles published at a newsroom's pace (`articles_per_day`, so 100,000
  articles span about eight years), ~600 to 950 words with intertitles, one
  to three tags and one or two authors each; 2 % drafts, a few scheduled;
- comments with a news site's skew: most articles get 0 to 5, a long tail
  gets hundreds, and a few viral stories get up to 20,000 each (one of them
  published in the last two days). Comments arrive in the days after
  publication and close after 30 days. The last `pending_days` days hold about
  `pending_per_day` comments a day waiting for a moderator; older ones are
  approved (90 %), rejected or spam, each with its moderation record; a few
  carry an answer from « La rédaction »;
- the state a site reaches when `purge_comment_data` runs daily: no IP
  address older than a year, no rejected or spam comment older than 90 days;
- 30 days of reads (`ArticleDailyView`) on a fifth of the articles: every
  recent one and a random share of the archive, with a long-tailed popularity.

PostgreSQL gets the rows through `COPY` (about a minute for 100,000 articles
and 1,000,000 comments, most of it building the articles' search documents);
other databases through `bulk_create` in large batches. Everything is written
in one transaction: a failure leaves the database as it was. Generated rows
are recognised by their `scale-` slugs; `reset()` removes them.
"""

import itertools
import random
import time
from array import array
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.models import JSONField
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleDailyView, ArticleStatus, Author, Section, Tag
from comments.models import Comment, CommentStateChange, CommentStatus, normalise_email
from comments.normalise import text_hash
from events.models import Event, PublicationStatus
from scale import texts

SLUG_PREFIX = "scale-"
DAY = 86400.0
VIRAL_SIZE = 20_000
COMMENTS_OPEN_DAYS = 30
IP_RETENTION_DAYS = 365
REJECTED_RETENTION_DAYS = 90
BATCH = 5000


@dataclass(frozen=True)
class Plan:
    articles: int
    comments: int
    seed: int = 8
    articles_per_day: float = 35.0
    read_fraction: float = 0.2
    read_days: int = 30
    pending_per_day: int = 200
    pending_days: int = 7


def existing_count(using="default"):
    return Article.objects.using(using).filter(slug__startswith=SLUG_PREFIX).count()


def generate(plan: Plan, *, using="default", log=print):
    """Write the archive described by `plan`; returns a dict of row counts."""
    generator = _Generator(plan, using=using, log=log)
    with transaction.atomic(using=using):
        counts = generator.run()
    generator.analyse()
    return counts


def reset(*, using="default", log=print):
    """Delete what `generate` made (every row hanging from a `scale-` article,
    section, tag, author or event), in one transaction."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        articles = "SELECT id FROM articles_article WHERE slug LIKE %s"
        statements = [
            f"DELETE FROM comments_commentstatechange WHERE comment_id IN "
            f"(SELECT id FROM comments_comment WHERE article_id IN ({articles}))",
            f"DELETE FROM comments_comment WHERE parent_id IS NOT NULL AND article_id IN ({articles})",
            f"DELETE FROM comments_comment WHERE article_id IN ({articles})",
            f"DELETE FROM articles_articledailyview WHERE article_id IN ({articles})",
            f"DELETE FROM articles_article_tags WHERE article_id IN ({articles})",
            f"DELETE FROM articles_article_authors WHERE article_id IN ({articles})",
            f"DELETE FROM events_event_related_articles WHERE article_id IN ({articles})",
            "DELETE FROM articles_article WHERE slug LIKE %s",
            "DELETE FROM events_event WHERE slug LIKE %s",
            "DELETE FROM articles_tag WHERE slug LIKE %s",
            "DELETE FROM articles_author WHERE slug LIKE %s",
            "DELETE FROM articles_section WHERE slug LIKE %s",
        ]
        for statement in statements:
            cursor.execute(statement, [f"{SLUG_PREFIX}%"])
            log(f"  {cursor.rowcount:>9} ← {statement[:70]}")


class _Writer:
    """Rows as dicts of attribute names → values, written with COPY on
    PostgreSQL and bulk_create elsewhere. Fields not given get their model
    default, so columns added later by other features need nothing here."""

    def __init__(self, using):
        self.using = using
        self.connection = connections[using]
        self.copy = self.connection.vendor == "postgresql"

    def write(self, model, rows):
        fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        count = 0
        if not self.copy:
            batch = []
            for row in rows:
                batch.append(model(**row))
                if len(batch) == BATCH:
                    model._default_manager.using(self.using).bulk_create(batch)
                    count += len(batch)
                    batch = []
            if batch:
                model._default_manager.using(self.using).bulk_create(batch)
                count += len(batch)
            return count
        from psycopg.types.json import Jsonb

        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        rows = itertools.chain([first], rows)
        # Let the database number the rows unless they bring their ids.
        fields = [field for field in fields if not (field.primary_key and field.attname not in first)]
        template = [self._default(field) for field in fields]
        positions = {field.attname: index for index, field in enumerate(fields)}
        json_attnames = {field.attname for field in fields if isinstance(field, JSONField)}
        columns = ", ".join(self.connection.ops.quote_name(field.column) for field in fields)
        table = self.connection.ops.quote_name(model._meta.db_table)
        self.connection.ensure_connection()
        with (
            self._without_gin_indexes(model._meta.db_table),
            self.connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                values = template.copy()
                for attname, value in row.items():
                    values[positions[attname]] = Jsonb(value) if attname in json_attnames else value
                copy.write_row(values)
                count += 1
        return count

    @contextmanager
    def _without_gin_indexes(self, table):
        """GIN indexes (search documents, trigrams) are built once after the
        COPY rather than row by row: several times faster."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [table, "% USING gin %"],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
        yield
        if not indexes:
            return
        with self.connection.cursor() as cursor:
            # The deferred foreign-key checks of the COPY run now: PostgreSQL
            # builds no index on a table with checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _default(self, field):
        """The value a field gets when a row leaves it out (a missing required
        value then fails loudly in the database)."""
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return timezone.now()
        value = field.get_default()
        if isinstance(field, JSONField):
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return value

    def reset_sequences(self, models):
        statements = self.connection.ops.sequence_reset_sql(no_style(), models)
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


class _Generator:
    def __init__(self, plan, *, using, log):
        self.plan = plan
        self.using = using
        self.log = log
        self.random = random.Random(plan.seed)
        self.writer = _Writer(using)
        self.now = timezone.now()
        self.counts = {}
        self.started = time.monotonic()

    def step(self, message):
        self.log(f"[{time.monotonic() - self.started:6.1f} s] {message}")

    def next_id(self, model):
        last = model._default_manager.using(self.using).order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    def run(self):
        self.make_reference_data()
        self.plan_articles()
        self.plan_comments()
        self.write_articles()
        self.write_comments()
        self.write_reads()
        self.make_events()
        self.writer.reset_sequences([Section, Tag, Author, Article, Comment, CommentStateChange])
        self.writer.reset_sequences([ArticleDailyView, Event, Article.tags.through, Article.authors.through])
        self.step("terminé")
        return self.counts

    # Reference data -------------------------------------------------------

    def make_reference_data(self):
        manager = Section.objects.using(self.using)
        self.sections = []
        for position, (name, slug) in enumerate(texts.SECTIONS):
            section = manager.filter(slug=slug).first() or manager.filter(name=name).first()
            if section is None:
                section = manager.create(name=name, slug=slug, position=position + 10)
            self.sections.append(section.pk)
        author_count = max(5, self.plan.articles // 1250)
        tag_count = max(20, min(2000, self.plan.articles // 200))
        first_author, first_tag = self.next_id(Author), self.next_id(Tag)
        authors = [
            Author(
                pk=first_author + n,
                name=f"{self.random.choice(texts.FIRST_NAMES)} {self.random.choice(texts.LAST_NAMES)}",
                slug=f"{SLUG_PREFIX}auteur-{first_author + n}",
                job_title="Journaliste",
            )
            for n in range(author_count)
        ]
        Author.objects.using(self.using).bulk_create(authors)
        names = [f"{topic} {place}" for place in texts.PLACES for topic in texts.TOPICS]
        self.random.shuffle(names)
        tags = [
            Tag(
                pk=first_tag + n,
                name=f"{name[:60]} ({first_tag + n})",
                slug=f"{SLUG_PREFIX}tag-{first_tag + n}",
            )
            for n, name in enumerate(names[:tag_count])
        ]
        Tag.objects.using(self.using).bulk_create(tags)
        self.author_ids = [author.pk for author in authors]
        self.tag_ids = [tag.pk for tag in tags]
        self.counts.update(sections=len(self.sections), authors=author_count, tags=tag_count)
        self.step(f"{author_count} auteurs, {tag_count} mots-clés, {len(self.sections)} rubriques")

    # Articles -------------------------------------------------------------

    def plan_articles(self):
        plan, rnd = self.plan, self.random
        n = plan.articles
        span = n / plan.articles_per_day * DAY
        now = self.now.timestamp()
        self.first_article = self.next_id(Article)
        # Publication times, oldest first (ids grow with time, as on a real site).
        self.published = array("d", sorted(now - span + rnd.random() * span for _ in range(n)))
        self.status = bytearray(n)  # 0 published, 1 draft, 2 scheduled
        for index in range(n):
            if rnd.random() < 0.02:
                self.status[index] = 1
        for index in range(max(1, n // 2000)):
            position = n - 1 - index * 7
            if position >= 0:
                self.status[position] = 2
                self.published[position] = now + (index + 1) * 3 * 3600
        self.visible = [i for i in range(n) if self.status[i] == 0]
        self.step(f"{n} articles planifiés sur {span / DAY:.0f} jours")

    def plan_comments(self):
        plan, rnd = self.plan, self.random
        now = self.now.timestamp()
        visible = self.visible
        counts = array("l", [0]) * plan.articles
        viral_count = max(1, min(5, plan.comments // 200_000)) if visible else 0
        viral_size = min(VIRAL_SIZE, max(10, plan.comments // 50))
        recent = [i for i in visible if now - self.published[i] < 2 * DAY] or visible[-1:]
        viral = [rnd.choice(recent)] if viral_count else []
        while len(viral) < viral_count:
            candidate = rnd.choice(visible)
            if candidate not in viral:
                viral.append(candidate)
        for index in viral:
            counts[index] = viral_size
        remaining = max(0, plan.comments - viral_size * len(viral))
        viral_set = set(viral)
        others = [i for i in visible if i not in viral_set]
        weights = [min(500.0, rnd.paretovariate(1.1) - 1.0) for _ in others]
        total_weight = sum(weights) or 1.0
        for index, weight in zip(others, weights, strict=True):
            expected = remaining * weight / total_weight
            counts[index] = int(expected) + (1 if rnd.random() < expected - int(expected) else 0)
        # Comment times, grouped by article.
        self.comment_article = array("l")
        self.comment_time = array("d")
        for index in visible:
            published = self.published[index]
            closes = min(now - 60, published + COMMENTS_OPEN_DAYS * DAY)
            if closes <= published:
                continue
            mean = 0.5 * DAY if index in viral else 1.0 * DAY
            for _ in range(counts[index]):
                moment = published + rnd.expovariate(1 / mean)
                if moment > closes:
                    moment = published + rnd.random() * (closes - published)
                self.comment_article.append(index)
                self.comment_time.append(moment)
        recent_count = sum(1 for moment in self.comment_time if now - moment < plan.pending_days * DAY)
        self.pending_share = min(1.0, plan.pending_per_day * plan.pending_days / max(1, recent_count))
        self.step(
            f"{len(self.comment_time)} commentaires planifiés, {len(viral)} article(s) viral(aux) "
            f"de {viral_size} commentaires"
        )

    def write_articles(self):
        rnd, plan = self.random, self.plan
        now = self.now.timestamp()
        tz = timezone.get_current_timezone()
        first_comment = self.next_id(Comment)
        self.first_comment = first_comment
        # Statuses decided now, so that articles carry their published counts.
        statuses = bytearray(len(self.comment_time))  # 0 approved, 1 pending, 2 rejected, 3 spam
        approved = array("l", [0]) * plan.articles
        changed = array("d", [0.0]) * plan.articles
        for number, moment in enumerate(self.comment_time):
            age = now - moment
            if age < plan.pending_days * DAY and rnd.random() < self.pending_share:
                status = 1
            else:
                draw = rnd.random()
                status = 0 if draw < 0.9 else (2 if draw < 0.95 else 3)
                if status and age > REJECTED_RETENTION_DAYS * DAY:
                    status = 0  # purged long ago: only the approved ones remain
            statuses[number] = status
            if status == 0:
                article = self.comment_article[number]
                approved[article] += 1
                changed[article] = max(changed[article], min(now, moment + 3600))
        self.comment_status = statuses
        # A few approved comments get an answer from the newsroom.
        self.replies = [n for n, status in enumerate(statuses) if status == 0 and rnd.random() < 0.003]
        for number in self.replies:
            article = self.comment_article[number]
            approved[article] += 1
            changed[article] = max(changed[article], min(now, self.comment_time[number] + 7200))

        def rows():
            for index in range(plan.articles):
                pk = self.first_article + index
                published = self.published[index]
                status = self.status[index]
                title, standfirst, body = self.article_text()
                moment = datetime.fromtimestamp(published, tz)
                yield {
                    "id": pk,
                    "title": title,
                    "slug": f"{SLUG_PREFIX}{slugify(title)[:150]}-{pk}",
                    "standfirst": standfirst,
                    "body": body,
                    "section_id": self.sections[rnd.randrange(len(self.sections))],
                    "status": ArticleStatus.DRAFT if status == 1 else ArticleStatus.PUBLISHED,
                    "published_at": None if status == 1 and rnd.random() < 0.5 else moment,
                    "created_at": moment - timedelta(hours=2),
                    "updated_at": moment + timedelta(minutes=rnd.randrange(0, 30)),
                    "approved_comment_count": approved[index],
                    "comments_changed_at": (
                        datetime.fromtimestamp(changed[index], tz) if changed[index] else None
                    ),
                }

        self.counts["articles"] = self.writer.write(Article, rows())
        self.step(f"{self.counts['articles']} articles écrits")
        self.write_article_links()

    def article_text(self):
        rnd = self.random
        topic, place = rnd.choice(texts.TOPICS), rnd.choice(texts.PLACES)
        subjects = rnd.sample(texts.SUBJECTS, 3)
        commentary = rnd.sample(texts.COMMENTARY, 2)

        def sentence():
            if rnd.random() < 0.25:
                return rnd.choice(commentary)
            obj = rnd.choice(texts.OBJECTS).format(n=rnd.randrange(2, 400))
            return (
                f"{rnd.choice(subjects)} {rnd.choice(texts.VERBS)} {obj} {rnd.choice(texts.ENDINGS)}, "
                f"dans le domaine {topic_phrase} à {rnd.choice(texts.PLACES)}."
            )

        topic_phrase = f"de {topic}" if topic[0] not in "aeiouéèhAEIOU" else f"de l'{topic}"
        obj = rnd.choice(texts.OBJECTS).format(n=rnd.randrange(2, 400))
        title = f"{topic.capitalize()} : {rnd.choice(subjects).lower()} {rnd.choice(texts.VERBS)} {obj}"
        title = f"{title} à {place}"[:200]
        standfirst = " ".join(sentence() for _ in range(2))[:600]
        parts = []
        for intertitle in rnd.sample(texts.INTERTITLES, rnd.randrange(4, 7)):
            parts.append(f"<h2>{intertitle}</h2>")
            for _ in range(2):
                parts.append(f"<p>{' '.join(sentence() for _ in range(rnd.randrange(3, 6)))}</p>")
        return title, standfirst, "\n".join(parts)

    def write_article_links(self):
        rnd = self.random

        def tag_rows():
            for index in range(self.plan.articles):
                for tag in rnd.sample(self.tag_ids, rnd.choice((1, 1, 2, 3))):
                    yield {"article_id": self.first_article + index, "tag_id": tag}

        def author_rows():
            for index in range(self.plan.articles):
                for author in rnd.sample(self.author_ids, 1 if rnd.random() < 0.85 else 2):
                    yield {"article_id": self.first_article + index, "author_id": author}

        self.counts["article_tags"] = self.writer.write(Article.tags.through, tag_rows())
        self.counts["article_authors"] = self.writer.write(Article.authors.through, author_rows())
        self.step("mots-clés et auteurs liés")

    # Comments -------------------------------------------------------------

    def write_comments(self):
        rnd = self.random
        tz = timezone.get_current_timezone()
        now = self.now.timestamp()
        status_values = [
            CommentStatus.APPROVED,
            CommentStatus.PENDING,
            CommentStatus.REJECTED,
            CommentStatus.SPAM,
        ]
        readers = max(100, len(self.comment_time) // 20)
        texts_bank = texts.COMMENT_SENTENCES

        def reader(number):
            first = texts.FIRST_NAMES[number % len(texts.FIRST_NAMES)]
            last = texts.LAST_NAMES[(number // len(texts.FIRST_NAMES)) % len(texts.LAST_NAMES)]
            return f"{first} {last[0]}.", f"{first}.{last}{number}@exemple.fr"

        def moment_of(timestamp):
            return datetime.fromtimestamp(timestamp, tz)

        def rows():
            for number, timestamp in enumerate(self.comment_time):
                name, email = reader(rnd.randrange(readers))
                text = " ".join(rnd.sample(texts_bank, rnd.randrange(1, 4)))
                status = self.comment_status[number]
                created = moment_of(timestamp)
                old = now - timestamp > IP_RETENTION_DAYS * DAY
                reasons = []
                if status == 1 and rnd.random() < 0.1:
                    reasons = ["links"]
                yield {
                    "id": self.first_comment + number,
                    "article_id": self.first_article + self.comment_article[number],
                    "author_name": name,
                    "author_email": email,
                    "author_email_normalised": normalise_email(email),
                    "ip_address": None
                    if old
                    else f"10.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}",
                    "text": text,
                    "text_hash": text_hash(text),
                    "status": status_values[status],
                    "hold_reasons": reasons,
                    "created_at": created,
                    "moderated_at": None if status == 1 else moment_of(min(now, timestamp + 3600)),
                }
            first_reply = self.first_comment + len(self.comment_time)
            for offset, number in enumerate(self.replies):
                text = "Merci pour votre message : nous avons corrigé l'article."
                yield {
                    "id": first_reply + offset,
                    "article_id": self.first_article + self.comment_article[number],
                    "parent_id": self.first_comment + number,
                    "author_name": "La rédaction",
                    "author_email": "",
                    "author_email_normalised": "",
                    "text": text,
                    "text_hash": text_hash(text),
                    "is_newsroom_reply": True,
                    "status": CommentStatus.APPROVED,
                    "created_at": moment_of(min(now, self.comment_time[number] + 7200)),
                    "moderated_at": moment_of(min(now, self.comment_time[number] + 7200)),
                }

        self.counts["comments"] = self.writer.write(Comment, rows())
        self.step(f"{self.counts['comments']} commentaires écrits")

        def changes():
            for number, timestamp in enumerate(self.comment_time):
                status = self.comment_status[number]
                if status != 1:
                    yield {
                        "comment_id": self.first_comment + number,
                        "status": status_values[status],
                        "changed_at": moment_of(min(now, timestamp + 3600)),
                    }

        self.counts["comment_state_changes"] = self.writer.write(CommentStateChange, changes())
        self.step(f"{self.counts['comment_state_changes']} décisions de modération écrites")

    # Reads ----------------------------------------------------------------

    def write_reads(self):
        plan, rnd = self.plan, self.random
        today = timezone.localdate(self.now)
        window_start = today - timedelta(days=plan.read_days - 1)
        tz = timezone.get_current_timezone()
        visible = self.visible
        wanted = int(plan.articles * plan.read_fraction)
        recent = [i for i in visible if self.published[i] >= self.now.timestamp() - plan.read_days * DAY]
        recent_set = set(recent)
        older = [i for i in visible if i not in recent_set]
        chosen = recent[:wanted] + rnd.sample(older, max(0, min(len(older), wanted - len(recent))))

        def rows():
            for index in chosen:
                published_day = datetime.fromtimestamp(self.published[index], tz).date()
                popularity = rnd.paretovariate(1.3)
                first = max(window_start, published_day)
                for offset in range((today - first).days + 1):
                    day = first + timedelta(days=offset)
                    if rnd.random() > 0.85:
                        continue
                    age = (day - published_day).days
                    decay = 1 / (1 + age / 3) if published_day >= window_start else 0.2
                    yield {
                        "article_id": self.first_article + index,
                        "day": day,
                        "count": max(1, int(popularity * 40 * decay * rnd.uniform(0.7, 1.3))),
                    }

        self.counts["daily_views"] = self.writer.write(ArticleDailyView, rows())
        self.step(f"{self.counts['daily_views']} lignes de lectures ({len(chosen)} articles lus)")

    # Events ---------------------------------------------------------------

    def make_events(self):
        rnd = self.random
        count = max(3, self.plan.articles // 1000)
        first = self.next_id(Event)
        events = []
        for n in range(count):
            starts = self.now + timedelta(days=rnd.randrange(-900, 120), hours=rnd.randrange(8, 18))
            topic, place = rnd.choice(texts.TOPICS), rnd.choice(texts.PLACES)
            events.append(
                Event(
                    pk=first + n,
                    title=f"Rencontres {topic} de {place}",
                    slug=f"{SLUG_PREFIX}evenement-{first + n}",
                    standfirst=f"Une matinée d'échanges sur {topic} à {place}.",
                    starts_at=starts,
                    publication_status=PublicationStatus.PUBLISHED,
                    published_at=min(self.now, starts - timedelta(days=30)),
                )
            )
        Event.objects.using(self.using).bulk_create(events)
        self.counts["events"] = count
        self.step(f"{count} événements")

    def analyse(self):
        """Fresh planner statistics, and on PostgreSQL the visibility map that
        index-only scans need (VACUUM, impossible inside a transaction: then
        ANALYZE only)."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                for model in (Article, Comment, CommentStateChange, ArticleDailyView, Article.tags.through):
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
            else:
                cursor.execute("ANALYZE")
        self.step("statistiques du planificateur à jour")
