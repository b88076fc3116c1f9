"""One inbound message through its conversation: category → place → description →
confirm, then the report through the reports services. Every step is one transaction:
the message, the conversation's new state and the replies it queued commit together."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from frontend.text import fold
from messaging import gazetteer, limits
from messaging.gateways import Inbound
from messaging.matching import guess_category
from messaging.models import (
    ApproximatePlace,
    BlockedNumber,
    Conversation,
    Follower,
    Gateway,
    InboundMessage,
    OptOut,
)
from messaging.outbound import queue_sms
from messaging.replies import name_of, reply
from messaging.text import ENGLISH, START_WORDS, YES, clean, is_stop, language, number
from reports import conf as reports_conf
from reports.models import Category
from reports.selectors.reports import nearby_open
from reports.services.reports import Contact, report_create

Step = Conversation.Step


def conversation_minutes() -> int:
    return int(getattr(settings, "KOMIN_SMS_CONVERSATION_MINUTES", 60))


def categories_for(gateway: Gateway) -> list[Category]:
    """The national catalogue and the gateway's town hall's own categories."""
    local = Q(jurisdiction__isnull=True) | Q(jurisdiction=gateway.jurisdiction_id)
    return list(Category.objects.filter(local, active=True).order_by("code"))


def receive(*, gateway: Gateway, inbound: Inbound, now: datetime | None = None) -> list[str]:
    """Handles one message; the replies queued (for the tests and the bench)."""
    now = now or timezone.now()
    text = clean(inbound.text)
    if BlockedNumber.objects.filter(phone=inbound.phone).exists():
        return []
    limits.count_inbound(gateway=gateway, phone=inbound.phone)
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = InboundMessage.objects.create(
                    gateway=gateway, provider_id=inbound.provider_id, phone=inbound.phone,
                    text=text,
                )  # fmt: skip
        except IntegrityError:
            return []  # the provider sent this message before: answered then
        return Turn(gateway, inbound, text, message, now).run()


class Turn:
    """The conversation's answer to one message."""

    def __init__(self, gateway, inbound, text, message, now):
        self.gateway, self.inbound, self.text, self.message = gateway, inbound, text, message
        self.now = now
        self.sent: list[str] = []
        conversation = (
            Conversation.objects.select_for_update()
            .filter(gateway=gateway, phone=inbound.phone)
            .first()
        )
        stale = now - timedelta(minutes=conversation_minutes())
        if conversation is not None and conversation.updated_at < stale:
            conversation.delete()
            conversation = None
        self.fresh = conversation is None
        self.c = conversation or Conversation(
            gateway=gateway, phone=inbound.phone, channel=inbound.channel, updated_at=now
        )

    # -- the steps ------------------------------------------------------------------
    def run(self) -> list[str]:
        keyword = is_stop(self.text)
        if keyword:
            return self._stop(keyword)
        if fold(self.text) in START_WORDS:
            OptOut.objects.filter(phone=self.inbound.phone).delete()
            self._say("restarted")
            return self._save()
        if OptOut.objects.filter(phone=self.inbound.phone).exists():
            return []  # nothing is sent to a number that said STOP
        if fold(self.text) in ENGLISH:
            self.c.language = "en"
            return self._ask_next()
        if self.fresh or self.c.step == Step.CATEGORY and not self.c.category_id:
            self.c.language = language(self.text, self.c.language or "ht")
        if number(self.text) == 0:
            self._say("cancelled")
            if self.c.pk:
                self.c.delete()
            return self.sent
        if not self.text:
            return self._ask_next()
        handler = {
            Step.CATEGORY: self._on_category,
            Step.PLACE: self._on_place,
            Step.DESCRIPTION: self._on_description,
            Step.CONFIRM: self._on_confirm,
        }[self.c.step]
        return handler()

    def _on_category(self) -> list[str]:
        chosen = number(self.text)
        if self.c.choices and chosen is not None and 1 <= chosen <= len(self.c.choices):
            self.c.category_id = self.c.choices[chosen - 1]
            return self._ask_next()
        # A first message may say everything: what, where and the words of the report.
        guess = guess_category(self.text, categories_for(self.gateway))
        if guess.category is not None:
            self.c.category = guess.category
        if not self.c.place:
            self._look_for_place(quiet=True)
        if chosen is None and len(self.text.split()) >= 3 and not self.c.description:
            self.c.description = self.text
        return self._ask_next()

    def _on_place(self) -> list[str]:
        chosen = number(self.text)
        if self.c.choices and chosen is not None and 1 <= chosen <= len(self.c.choices):
            self.c.place = self.c.choices[chosen - 1]
            self.c.choices = []
            return self._ask_next()
        self._look_for_place(quiet=False)
        return self._ask_next()

    def _on_description(self) -> list[str]:
        self.c.description = self.text
        return self._ask_next()

    def _on_confirm(self) -> list[str]:
        chosen = number(self.text)
        if fold(self.text) in YES or chosen in (1, 2):
            return self._file(follow=chosen == 2)
        return self._ask_next()

    # -- helpers ----------------------------------------------------------------------
    def _look_for_place(self, *, quiet: bool) -> None:
        found = gazetteer.find_places(self.text, communes=self.gateway.jurisdiction.pcodes)
        if found.place is not None:
            self.c.place = found.place.as_dict()
            self.c.choices = []
        elif found.candidates:
            self.c.choices = [p.as_dict() for p in found.candidates]
            self.c.step = Step.PLACE
        elif not quiet:
            self.c.choices = []

    def _ask_next(self) -> list[str]:
        lang = self.c.language
        if not self.c.category_id:
            categories = categories_for(self.gateway)[:9]
            self.c.step, self.c.choices = Step.CATEGORY, [c.pk for c in categories]
            menu = ", ".join(f"{i} {name_of(c, lang)}" for i, c in enumerate(categories, 1))
            self._say("ask_category", menu=menu)
        elif not self.c.place:
            self.c.step = Step.PLACE
            if self.c.choices and isinstance(self.c.choices[0], dict):
                menu = ", ".join(f"{i} {p['name']}" for i, p in enumerate(self.c.choices, 1))
                self._say("choose_place", menu=menu)
            else:
                self.c.choices = []
                self._say("ask_place")
        elif not self.c.description:
            self.c.step, self.c.choices = Step.DESCRIPTION, []
            self._say("ask_description")
        else:
            self.c.step, self.c.choices = Step.CONFIRM, []
            category = Category.objects.get(pk=self.c.category_id)
            place = f"{self.c.place['name']} (± {self.c.place['uncertainty_m']} m)"
            self._say("confirm", category=name_of(category, lang), place=place)
        return self._save()

    def _file(self, *, follow: bool) -> list[str]:
        c, lang = self.c, self.c.language
        category = Category.objects.get(pk=c.category_id)
        place = c.place
        try:
            with transaction.atomic():
                report = report_create(
                    category=category,
                    lon=place["lon"],
                    lat=place["lat"],
                    description=c.description[: reports_conf.get("KOMIN_DESCRIPTION_MAX_CHARS")],
                    address=place["name"],
                    contact=Contact(phone=c.phone),
                    source=c.channel,
                    language=lang,
                    answers_required=False,
                    now=self.now,
                ).report
        except ValidationError as exc:
            self._say("refused", detail=getattr(exc, "message", "")[:100] or "invalid")
            c.delete()
            return self.sent
        ApproximatePlace.objects.create(
            report=report,
            name=place["name"][:300],
            kind=place["kind"],
            uncertainty_m=place["uncertainty_m"],
        )
        self.message.report = report
        self.message.save(update_fields=["report"])
        base = reports_conf.get("KOMIN_PUBLIC_URL").rstrip("/")
        text = reply("filed", lang, ref=report.reference, url=f"{base}/r/{report.reference}/")
        similar = nearby_open(
            category=_widened(category, place["uncertainty_m"]),
            lon=place["lon"],
            lat=place["lat"],
            exclude=report.pk,
        )
        if similar:
            text += reply("filed_duplicate", lang, n=len(similar))
        if follow:
            Follower.objects.get_or_create(
                report=report,
                phone=c.phone,
                defaults={"gateway": self.gateway, "channel": c.channel, "language": lang},
            )
            text += reply("following", lang)
        self._send(text)
        c.delete()
        return self.sent

    def _stop(self, keyword: str) -> list[str]:
        phone = self.inbound.phone
        OptOut.objects.update_or_create(
            phone=phone, defaults={"keyword": keyword[:20], "gateway": self.gateway}
        )
        Follower.objects.filter(phone=phone).delete()
        Conversation.objects.filter(phone=phone).delete()
        return []  # at once: not even a goodbye (the provider confirms STOP itself)

    def _say(self, key: str, **values) -> None:
        self._send(reply(key, self.c.language, **values))

    def _send(self, text: str) -> None:
        queue_sms(
            gateway=self.gateway, phone=self.inbound.phone, channel=self.inbound.channel,
            text=text, language=self.c.language,
        )  # fmt: skip
        self.sent.append(text)

    def _save(self) -> list[str]:
        self.c.updated_at = self.now
        self.c.save()
        return self.sent


def _widened(category: Category, uncertainty_m: int) -> Category:
    """The category with its duplicate radius widened to the place's uncertainty: a
    report placed at a section's centre may be any open one in that section."""
    radius = max(category.duplicate_radius_m, uncertainty_m)
    return Category(pk=category.pk, duplicate_radius_m=radius)
