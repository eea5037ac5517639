"""A Flask-Mailman backend that writes each mail to the log: used when no SMTP server is set,
so the demo and a fresh install run without one."""

from __future__ import annotations

import logging

from flask_mailman.backends.base import BaseEmailBackend

log = logging.getLogger("workcentre.mail")


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            log.info("mail (no SMTP server set) to %s: %s\n%s", ", ".join(message.to),
                     message.subject, message.body)
        return len(email_messages)
