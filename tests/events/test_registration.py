"""Registration on an event page: a clear call to action and its state, the
price, and what search engines are told (JSON-LD `offers`)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Admission, AttendanceMode, EventStatus, RegistrationState
from tests.conftest import json_ld, page_text
from tests.events.factories import in_days, make_event

pytestmark = pytest.mark.django_db

FORM = "https://example.org/inscription"


def registration_text(event, client):
    text = page_text(client.get(event.get_absolute_url()))
    if "Inscription " not in text:
        return ""
    return text[text.index("Inscription ") : text.index("Ajouter à mon agenda")].strip()


def test_open_registration_shows_the_button_deadline_places_and_price(client):
    event = make_event(
        registration_url=FORM,
        registration_deadline=in_days(20, 18),
        remaining_places=12,
        admission=Admission.FREE,
    )

    page = client.get(event.get_absolute_url())

    deadline = f"{timezone.localtime(event.registration_deadline):%d}".lstrip("0")
    assert registration_text(event, client).startswith(
        "Inscription S'inscrire Inscriptions ouvertes jusqu'au "
    )
    assert f" {deadline} " in registration_text(event, client)
    assert registration_text(event, client).endswith("à 18 h Plus que 12 places Gratuit")
    assert (
        f'<a class="btn event-register-button" href="{FORM}" rel="noopener external">'
        in page.content.decode()
    )


def test_registration_by_e_mail_opens_a_prepared_message(client):
    event = make_event(title="Matinale", registration_email="inscriptions@example.org")

    html = client.get(event.get_absolute_url()).content.decode()

    assert 'href="mailto:inscriptions@example.org?subject=Inscription%20%3A%20Matinale"' in html
    assert "Inscriptions ouvertes — par e-mail à inscriptions@example.org" in registration_text(event, client)


def test_a_full_event_says_complet_and_offers_no_button(client):
    event = make_event(registration_url=FORM, is_full=True)

    assert registration_text(event, client) == "Inscription Complet — toutes les places sont attribuées."


def test_no_place_left_means_complet_too():
    assert make_event(registration_url=FORM, remaining_places=0).registration_state == RegistrationState.FULL


def test_registration_after_the_deadline_says_closed_since_when(client):
    event = make_event(registration_url=FORM, registration_deadline=timezone.now() - timedelta(hours=1))

    text = registration_text(event, client)

    assert text.startswith("Inscription Inscriptions closes — depuis le ")
    assert "S'inscrire" not in text


def test_a_paid_event_shows_its_price_in_euros(client):
    event = make_event(registration_url=FORM, admission=Admission.PAID, price=Decimal("12.50"))

    assert registration_text(event, client).endswith("Payant : 12,50 €")


def test_an_event_without_registration_shows_only_its_price(client):
    event = make_event(admission=Admission.FREE)

    assert registration_text(event, client) == "Inscription Gratuit"


def test_an_event_without_any_registration_detail_has_no_registration_block(client):
    assert registration_text(make_event(), client) == ""


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"starts_at": in_days(-2)}, RegistrationState.OVER),
        ({"status": EventStatus.CANCELLED, "status_reason": "Grève"}, RegistrationState.CANCELLED),
    ],
)
def test_a_past_or_cancelled_event_offers_no_registration(client, fields, state):
    event = make_event(registration_url=FORM, admission=Admission.FREE, **fields)

    assert event.registration_state == state
    assert registration_text(event, client) == ""


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"admission": Admission.PAID}, "price", "Indiquez le prix d'une entrée payante."),
        (
            {"admission": Admission.FREE, "price": Decimal(5)},
            "price",
            "Un prix ne s'indique que pour une entrée payante.",
        ),
        (
            {"registration_deadline": in_days(2)},
            "registration_url",
            "Indiquez le lien ou l'e-mail d'inscription de cette date limite.",
        ),
        (
            {"registration_url": FORM, "registration_deadline": in_days(31)},
            "registration_deadline",
            "La date limite doit précéder la fin de l'événement.",
        ),
    ],
)
def test_registration_details_that_contradict_each_other_are_refused(fields, field, message):
    event = make_event(**fields)

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict[field] == [message]


# --- JSON-LD ------------------------------------------------------------------------


def test_json_ld_offers_a_free_open_registration_with_its_deadline_and_places(client):
    event = make_event(
        registration_url=FORM,
        registration_deadline=in_days(20, 18),
        remaining_places=12,
        admission=Admission.FREE,
    )

    data = json_ld(client.get(event.get_absolute_url()))

    assert data["offers"] == {
        "@type": "Offer",
        "url": FORM,
        "priceCurrency": "EUR",
        "price": "0",
        "availability": "https://schema.org/InStock",
        "validFrom": timezone.localtime(event.published_at).isoformat(),
        "validThrough": timezone.localtime(event.registration_deadline).isoformat(),
    }
    assert data["isAccessibleForFree"] is True
    assert data["remainingAttendeeCapacity"] == 12
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"


def test_json_ld_of_a_full_paid_event_is_sold_out_with_no_capacity_left(client):
    event = make_event(registration_url=FORM, is_full=True, admission=Admission.PAID, price=Decimal(45))

    data = json_ld(client.get(event.get_absolute_url()))

    assert (data["offers"]["price"], data["offers"]["availability"]) == (
        "45.00",
        "https://schema.org/SoldOut",
    )
    assert data["remainingAttendeeCapacity"] == 0
    assert "isAccessibleForFree" not in data


def test_json_ld_has_no_offer_nor_capacity_when_nothing_is_known(client):
    data = json_ld(client.get(make_event().get_absolute_url()))

    assert "offers" not in data
    assert "remainingAttendeeCapacity" not in data


def test_online_and_mixed_events_say_so_to_readers_and_search_engines(client):
    online = make_event(attendance_mode=AttendanceMode.ONLINE, registration_url=FORM)
    mixed = make_event(attendance_mode=AttendanceMode.MIXED)

    online_data = json_ld(client.get(online.get_absolute_url()))
    mixed_page = client.get(mixed.get_absolute_url())

    assert online_data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online_data["location"] == {"@type": "VirtualLocation", "url": FORM}
    assert [place["@type"] for place in json_ld(mixed_page)["location"]] == ["Place", "VirtualLocation"]
    assert "Sur place et en ligne" in page_text(mixed_page)
