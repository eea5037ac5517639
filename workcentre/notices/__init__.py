"""Mail notices to companies about their orders (received, accepted, changed, declined, planned
late, ready, delivered).

Every such change already leaves an `OrderEvent`; a session hook notes the new ones and sends
their mails after the commit, so a notice never goes out for a change that was rolled back and a
failed send never undoes the change (`outbox.py`). Mail holds the order's number, its product and
a link, never anything about the people who do the work.
"""

from .outbox import NOTIFIED_KINDS, init_mail, install, paused

__all__ = ["NOTIFIED_KINDS", "init_mail", "install", "paused"]
