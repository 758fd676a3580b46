"""Messaging (短信/邮件): templates with merge fields, consent, target lists, the outbox with its e-mail and SMS
channels, event triggers and campaigns. No Textual import: the screens and the CLI call these use cases."""
