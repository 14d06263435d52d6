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

from newsroom import dates
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
def french_datetime(value, weekday=True):
    """`{{ when|french_datetime }}`; `{{ when|french_datetime:False }}` leaves out the weekday."""
    return dates.format_datetime(value, weekday=weekday) if value else ""
