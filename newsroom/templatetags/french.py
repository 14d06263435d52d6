"""`{% load french %}`: French typography and dates in templates.

- `typo`: French typography of a text or of HTML (`{% filter typo %}…{% endfilter %}`
  wraps whole blocks: only the text between tags changes, see
  `newsroom.typography`);
- `typo_text`: the same for plain text (e-mails);
- `french_time`, `french_date`, `french_datetime`: « 9 h 38 »,
  « 1er juillet 2026 », « lundi 10 juillet 2026 à 9 h 38 » (the one time
  format of the site, `newsroom.dates`).
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

from newsroom import admin_labels, dates
from newsroom.typography import typeset_html, typeset_text

register = template.Library()


@register.filter(is_safe=True)
def typo(value):
    """HTML is typeset between its tags; a plain string is typeset, then escaped."""
    if value is None or value == "":
        return value
    if isinstance(value, SafeData):
        return mark_safe(typeset_html(str(value)))
    return mark_safe(conditional_escape(typeset_text(str(value))))


@register.filter
def typo_text(value):
    """For plain-text templates (e-mails), where nothing is HTML."""
    return typeset_text(str(value)) if value else value


@register.filter
def french_time(value):
    return dates.format_time(value) if value else ""


@register.filter
def french_date(value):
    return dates.format_date(value) if value else ""


@register.filter
def french_deadline(value):
    """« vendredi 18 décembre à 18 h »: a date to come, with its year only when it is not this one."""
    return dates.format_datetime(value, year=None) if value else ""


@register.filter
def french_datetime(value, weekday=True):
    """`{{ when|french_datetime }}`; `{{ when|french_datetime:False }}` leaves out the weekday."""
    return dates.format_datetime(value, weekday=weekday) if value else ""


# --- The admin's titles and buttons (newsroom/admin_labels.py) ----------------


@register.filter
def add_title(opts, default=""):
    """`{{ opts|add_title:title }}`: « Ajouter un article », else `default`."""
    return admin_labels.add_title(opts) or default


@register.filter
def change_title(opts, can_change=True):
    """« Modifier l’article » (« Consulter l’article » without the right to change it)."""
    return admin_labels.change_title(opts, can_change=can_change)


@register.filter
def changelist_title(cl):
    """« Choisir un article à modifier » (or « à consulter », or « Choisir un
    article » in a popup), else Django's title."""
    if cl.is_popup:
        noun = admin_labels.indefinite(cl.opts)
        return gettext("Choisir %(noun)s") % {"noun": noun} if noun else cl.title
    can_change = cl.title != gettext("Select %s to view") % cl.opts.verbose_name
    return admin_labels.changelist_title(cl.opts, can_change=can_change) or cl.title
