"""SMS intake: how many inbound messages per second the conversation handles (the whole
turn: limits, conversation row, category and place matching, reply queued; in a
transaction rolled back at the end), and the share of the labelled set
(tests/channels/labelled_messages.py, 120 messages in Kreyòl and French) whose category
and place were found without a question, and found right.

    KOMIN_DB_NAME=komin_channels .venv/bin/python bench/sms_intake.py

Needs the demo data (`manage.py load_demo`: boundaries, places, schools, catalogue)."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from channels import gazetteer  # noqa: E402
from channels.gateways import Inbound  # noqa: E402
from channels.matching import guess_category  # noqa: E402
from channels.models import Gateway  # noqa: E402
from channels.services import categories_for, receive  # noqa: E402
from communes.models import Jurisdiction  # noqa: E402
from frontend.text import fold  # noqa: E402
from tests.channels.labelled_messages import labelled  # noqa: E402


class Rollback(Exception):
    pass


def main() -> None:
    rows = labelled()
    national = Jurisdiction.objects.filter(pcodes=[]).first() or Jurisdiction.objects.first()
    gazetteer.index()  # built once per process, as in a worker
    both = right = category_ok = place_ok = 0
    try:
        with transaction.atomic():
            gateway = Gateway.objects.create(kind="twilio", jurisdiction=national,
                                             number="+1", auth_token="t")  # fmt: skip
            categories = categories_for(gateway)
            for text, code, place_word in rows:
                guess = guess_category(text, categories)
                found = gazetteer.find_places(text, communes=national.pcodes)
                category_ok += guess.category is not None and guess.category.code == code
                good_place = (found.place is None and place_word is None) or (
                    found.place is not None and place_word in fold(found.place.label)
                    if place_word
                    else False
                )
                place_ok += good_place
                if guess.category is not None and found.place is not None:
                    both += 1
                    right += guess.category.code == code and good_place
            with override_settings(KOMIN_RATE_SMS_NUMBER="", KOMIN_RATE_SMS_GATEWAY=""):
                start = time.perf_counter()
                for i, (text, _, _) in enumerate(rows * 2):
                    receive(gateway=gateway, inbound=Inbound("", f"+5093{i:07d}", "sms", text))
                elapsed = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    n = len(rows)
    print(f"labelled messages: {n}")
    print(
        f"category right: {category_ok / n:.0%}; place right (or rightly none): {place_ok / n:.0%}"
    )
    print(f"category and place found without a question: {both / n:.0%} ({both}); "
          f"of which both right: {right / max(both, 1):.0%}")  # fmt: skip
    print(f"first turns handled: {2 * n / elapsed:.1f} messages/s ({elapsed:.2f} s for {2 * n})")


if __name__ == "__main__":
    main()
