"""The emails the emulator's SES accepted: GET /_fountain/ses/messages answers

{"messages": [{"id": .., "from": .., "to": [..], "subject": .., "text": ..}, ..]}

oldest first, so the local stack's tests (and a developer) read what the mailer sent, as
they would read an inbox. moto keeps them in its SES backends.
"""

import json

from moto.ses.models import ses_backends


def sent():
    messages = []
    for account in ses_backends.values():
        for backend in account.values():
            for message in backend.sent_messages:
                destinations = getattr(message, "destinations", {})
                if isinstance(destinations, dict):
                    to = destinations.get("ToAddresses", [])
                else:
                    to = list(destinations)
                messages.append(
                    {
                        "id": message.id,
                        "from": message.source,
                        "to": to,
                        "subject": getattr(message, "subject", None),
                        "text": getattr(message, "body", None) or getattr(message, "raw_data", None),
                    }
                )
    return json.dumps({"messages": messages})
