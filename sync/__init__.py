"""Sync with the backend: the HTTP client, the outbox pusher and the changes puller. No Qt."""
