"""The REST API under /api/v1/: one router module per app."""

from ninja import NinjaAPI

api = NinjaAPI(title="Grappe API", version="1", urls_namespace="api-1")
