"""Background jobs: long work outside the request, with progress (Huey)."""
