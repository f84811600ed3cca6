"""E-mail to people: written to the outbox with the change it tells about, delivered by jobs."""
