"""Status changes of reports filed by SMS, to the numbers that asked for them."""

from channels.models import Follower, OptOut
from channels.outbound import queue_sms
from channels.replies import name_of, reply
from reports.models import ReportUpdate
from reports.services.notify import on_update
from reports.workflow import label


@on_update
def tell_followers(update: ReportUpdate) -> None:
    if update.kind != ReportUpdate.Kind.TRANSITION or not update.public:
        return
    if update.from_status == update.to_status:
        return
    report = update.report
    stopped = OptOut.objects.values("phone")
    for follower in Follower.objects.filter(report=report).exclude(phone__in=stopped):
        lang = follower.language
        text = reply(
            "status",
            lang,
            ref=report.reference,
            category=name_of(report.category, lang),
            status=label(update.to_status, lang),
        )
        if update.public_note:
            text += f" {update.public_note[:300]}"
        queue_sms(gateway=follower.gateway, phone=follower.phone, channel=follower.channel,
                  text=text, language=lang)  # fmt: skip
