from django import forms
from django.contrib import admin, messages
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from articles.forms import ArticleBodyWidget, ImageUploadField
from articles.images import admin_preview
from events.models import (
    Event,
    EventOrganiser,
    EventSeries,
    Organisation,
    Participation,
    Person,
    ProgrammeItem,
    PublicationStatus,
    Venue,
)
from events.services import (
    PUBLISH_PERMISSION,
    can_publish_events,
    delete_events,
    duplicate_event_as_next_edition,
    freeze_participants,
    is_public,
    publish_event,
    save_event,
)
from newsroom.admin_revisions import RevisionAdminMixin
from newsroom.dates import format_datetime


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "postcode", "city"]
    search_fields = ["name", "city", "address"]


# Every picture upload goes through the one image pipeline (articles.images):
# the same checks on the request, the same cleaning and renditions after it.
IMAGE_UPLOADS = {models.ImageField: {"form_class": ImageUploadField}}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    formfield_overrides = IMAGE_UPLOADS
    fields = ["name", "website", "logo", "logo_preview"]
    readonly_fields = ["logo_preview"]

    @admin.display(description=_("aperçu"))
    def logo_preview(self, organisation):
        return admin_preview(organisation, "logo", css_class="event-admin-preview", max_width=320)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "organisation"]
    search_fields = ["name", "job_title", "organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "job_title", "organisation", "bio", "photo", "photo_preview"]
    formfield_overrides = IMAGE_UPLOADS
    readonly_fields = ["photo_preview"]

    @admin.display(description=_("aperçu"))
    def photo_preview(self, person):
        return admin_preview(person, "photo", css_class="event-admin-preview", max_width=320)


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "feminine", "plural"]
    search_fields = ["name"]


class UniquePeopleFormSet(BaseInlineFormSet):
    """A clear message when a person is listed twice in one programme item."""

    def clean(self):
        # Before Django's own uniqueness check, whose message names the
        # field's code (« person ») rather than the person.
        if not self._flag_duplicate_people():
            super().clean()

    def _flag_duplicate_people(self):
        seen, found = set(), False
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("person") is None:
                continue
            person = data["person"]
            if person.pk in seen:
                form.add_error(
                    "person",
                    gettext("%(name)s figure déjà dans cette séquence : supprimez le doublon.")
                    % {"name": person.name},
                )
                found = True
            seen.add(person.pk)
        return found


class ParticipationInline(admin.TabularInline):
    model = Participation
    formset = UniquePeopleFormSet
    fields = ["position", "person", "role", "job_title", "organisation", "frozen"]
    readonly_fields = ["frozen"]
    autocomplete_fields = ["person", "organisation"]
    extra = 1

    @admin.display(description=_("fonction figée"))
    def frozen(self, participation):
        if participation.frozen_at:
            return gettext("le %(date)s") % {"date": format_datetime(participation.frozen_at, weekday=False)}
        return gettext("à la publication")


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(admin.ModelAdmin):
    """Reached from the programme of an event (« Modification » link): where the
    participants of one programme item are entered."""

    list_display = ["title", "event", "starts_at", "kind"]
    list_filter = ["kind"]
    list_select_related = ["event__series"]
    search_fields = ["title", "event__title"]
    autocomplete_fields = ["event"]
    fields = ["event", "starts_at", "ends_at", "kind", "title", "description"]
    inlines = [ParticipationInline]
    ordering = ["-event__starts_at", "starts_at"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A participant added to a published event gets the job they hold today.
        freeze_participants(event=form.instance.event)


class OrganiserInline(admin.TabularInline):
    model = EventOrganiser
    fields = ["position", "organisation"]
    autocomplete_fields = ["organisation"]
    extra = 1


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    fields = ["starts_at", "ends_at", "kind", "title", "participant_count"]
    readonly_fields = ["participant_count"]
    ordering = ["starts_at", "pk"]
    show_change_link = True
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("participations")

    @admin.display(description=_("participants"))
    def participant_count(self, item):
        if not item.pk:
            return gettext("Enregistrez, puis « Modification » pour ajouter les participants.")
        count = len(item.participations.all())
        label = ngettext("%(count)d participant", "%(count)d participants", count) % {"count": count}
        url = reverse("admin:events_programmeitem_change", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, label)


class WhenFilter(admin.SimpleListFilter):
    title = _("quand")
    parameter_name = "quand"

    def lookups(self, request, model_admin):
        return [("a-venir", _("À venir")), ("passes", _("Passés"))]

    def queryset(self, request, queryset):
        if self.value() == "a-venir":
            return queryset.upcoming()
        if self.value() == "passes":
            return queryset.past()
        return queryset


class EventAdminForm(forms.ModelForm):
    """Without the publish permission, « Publié » is not offered and is
    refused if sent anyway (`user` is set by the admin)."""

    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("publication_status")
        if field is not None and not self._can_publish():
            field.choices = [c for c in field.choices if c[0] != PublicationStatus.PUBLISHED]
            field.help_text = gettext("La rédaction en chef publie les événements.")

    def _can_publish(self):
        return self.user is not None and can_publish_events(self.user)

    def clean_publication_status(self):
        value = self.cleaned_data["publication_status"]
        if value == PublicationStatus.PUBLISHED and not self._can_publish():
            raise forms.ValidationError(
                gettext("Seule la rédaction en chef publie ou programme un événement.")
            )
        return value


@admin.register(Event)
class EventAdmin(RevisionAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "starts_at", "venue", "status", "publication"]
    list_filter = [WhenFilter, "status", "publication_status", "series"]
    list_select_related = ["venue", "series"]
    search_fields = ["title", "standfirst", "venue__name"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["series", "venue", "announces", "related_articles"]
    # The package's own widget loads the editor with an inline import map,
    # which the Content-Security-Policy blocks: the description would be a
    # bare textarea and the page would throw. The articles' widget is
    # CSP-safe, and takes the description's own configuration.
    formfield_overrides = {ProseEditorField: {"widget": ArticleBodyWidget}, **IMAGE_UPLOADS}
    inlines = [OrganiserInline, ProgrammeItemInline]
    actions = ["publish", "duplicate_as_next_edition"]
    form = EventAdminForm
    can_publish_permission = PUBLISH_PERMISSION

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def _public_needs_publisher(self, request, obj, allowed):
        if allowed and obj is not None and is_public(obj):
            return request.user.has_perm(PUBLISH_PERMISSION)
        return allowed

    def has_change_permission(self, request, obj=None):
        return self._public_needs_publisher(request, obj, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._public_needs_publisher(request, obj, super().has_delete_permission(request, obj))

    def save_model(self, request, obj, form, change):
        save_event(event=obj, by=request.user)

    def delete_model(self, request, obj):
        delete_events(events=Event.objects.filter(pk=obj.pk), by=request.user)

    def delete_queryset(self, request, queryset):
        delete_events(events=queryset, by=request.user, bulk=True)

    fieldsets = [
        (
            None,
            {"fields": ["series", "edition", "edition_label", "title", "slug", "standfirst", "description"]},
        ),
        (_("Date et lieu"), {"fields": ["starts_at", "ends_at", "venue", "status", "status_reason"]}),
        (_("Photo"), {"fields": ["image", "image_preview", "image_alt", "image_caption", "image_credit"]}),
        (
            _("Inscription"),
            {
                "fields": [
                    "attendance_mode",
                    "admission",
                    "price",
                    "registration_url",
                    "registration_email",
                    "registration_deadline",
                    "is_full",
                    "remaining_places",
                ],
                "description": _(
                    "Le bouton « S'inscrire » mène au lien, ou à défaut écrit à l'e-mail ; il laisse place à "
                    "« Complet » ou « Inscriptions closes » quand il le faut."
                ),
            },
        ),
        (_("Liens"), {"fields": ["announces", "related_articles"]}),
        (_("Publication"), {"fields": ["publication_status", "published_at"]}),
    ]

    readonly_fields = ["image_preview"]

    @admin.display(description=_("aperçu"))
    def image_preview(self, event):
        return admin_preview(event, css_class="event-admin-preview", max_width=800, alt=event.image_alt)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Published: the participants' jobs are frozen as they are today.
        freeze_participants(event=form.instance)

    @admin.action(description=_("Publier"), permissions=["publish"])
    def publish(self, request, queryset):
        events = list(queryset)
        for event in events:
            publish_event(event=event, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d événement publié.", "%(count)d événements publiés.", len(events))
            % {"count": len(events)},
            messages.SUCCESS,
        )

    @admin.display(description=_("publication"))
    def publication(self, event):
        if event.is_published:
            return gettext("Publié")
        if event.publication_status == "published" and event.published_at:
            return gettext("Programmé le %(date)s") % {
                "date": format_datetime(event.published_at, weekday=False)
            }
        return gettext("Brouillon")

    @admin.action(description=_("Dupliquer comme édition suivante"), permissions=["add"])
    def duplicate_as_next_edition(self, request, queryset):
        for event in queryset.select_related("series"):
            new = duplicate_event_as_next_edition(event=event, by=request.user)
            url = reverse("admin:events_event_change", args=[new.pk])
            self.message_user(
                request,
                format_html(
                    '<a href="{}">{}</a> : {}',
                    url,
                    new.full_title,
                    gettext("brouillon créé 52 semaines plus tard ; corrigez les dates avant de publier."),
                ),
                messages.SUCCESS,
            )
