"""Forms editors use in the admin: the rich-text body and the photo upload."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import ProseEditorWidget

from articles import images
from articles.models import Article, ArticleStatus
from articles.sanitize import sanitize_html

#: What the body editor offers: intertitles (h2, h3), paragraphs, lists,
#: quotes, links, bold and italic. `articles.sanitize` allows at least this.
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Bold": True,
    "Italic": True,
    "HardBreak": True,
}


class ArticleBodyWidget(ProseEditorWidget):
    """django-prose-editor's editor, started by our own module.

    The package's own media use an inline `<script type="importmap">`, which
    our Content-Security-Policy (`script-src 'self'`, no nonce) blocks, and
    Tiptap injects a `<style>` element, blocked by `style-src 'self'`. Our
    module imports the editor by a relative URL (no import map), builds it
    with `injectCSS: false`, and Tiptap's few base rules are served from a
    static stylesheet instead.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("preset", "configurable")
        super().__init__(*args, **kwargs)

    @property
    def media(self):
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "django_prose_editor/overrides.css",
                    "css/admin/prose-editor.css",
                ]
            },
            js=[forms.Script("js/admin/prose-editor.js", type="module")],
        )


class ArticleBodyField(ProseEditorFormField):
    """The rich-text body: our editor configuration, our sanitiser."""

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = ArticleBodyWidget
        kwargs["config"] = {"extensions": BODY_EXTENSIONS}
        kwargs["sanitize"] = sanitize_html
        kwargs.pop("max_length", None)
        super().__init__(*args, **kwargs)


class ImageUploadField(forms.ImageField):
    """Every picture upload of the admin (article and event photos, logos,
    portraits), checked by `articles.images.validate_image_file`: size,
    format, pixel count and a quick integrity check, with no full decode.
    The file's name and extension do not matter: stored names are random,
    with the real format's extension."""

    default_validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = images.ACCEPT

    def to_python(self, data):
        # FileField's checks (empty file, name) only: Django's ImageField would
        # decode the file before our pixel cap is applied.
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        images.validate_image_file(upload)
        return upload


class ArticleAdminForm(forms.ModelForm):
    """The article form. `user` is set by the admin: without the publish
    permission, « Publié » is not offered and is refused if sent anyway."""

    user = None

    significant_update = forms.BooleanField(
        label=_("modification significative"),
        required=False,
        help_text=_(
            "Cochez quand le fond de l'article publié a changé : les lecteurs verront « mis à jour le … ». "
            "Une coquille, une photo ou un commentaire ne le justifient pas."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields and not self._can_publish():
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] != ArticleStatus.PUBLISHED
            ]
            self.fields["status"].help_text = _(
                "Choisissez « À relire » quand l'article est prêt : la rédaction en chef le publiera."
            )

    def _can_publish(self):
        from articles.services import can_publish

        return self.user is not None and can_publish(self.user)

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == ArticleStatus.PUBLISHED and not self._can_publish():
            raise forms.ValidationError(
                _("Seule la rédaction en chef publie ou programme : choisissez « À relire ».")
            )
        return status

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "standfirst",
            "body",
            "section",
            "tags",
            "authors",
            "image",
            "image_alt",
            "image_caption",
            "image_credit",
            "status",
            "published_at",
            "comments_enabled",
            "seo_description",
        ]
        field_classes = {"body": ArticleBodyField, "image": ImageUploadField}
