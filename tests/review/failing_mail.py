"""An e-mail backend whose server refuses every message, as an unreachable SMTP server would."""

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused by the mail server")
