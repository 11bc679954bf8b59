"""The support plugin: Support requests with threads and attachments."""
