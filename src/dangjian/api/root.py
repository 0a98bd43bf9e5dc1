"""The JSON API: one NinjaAPI; each feature app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="党建工作平台 API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
