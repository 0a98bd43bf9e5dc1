"""Every route the project serves: URL patterns from the resolver, operations from the OpenAPI schema."""

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}:{p.name}".strip(":") if p.name else prefix + str(p.pattern), prefix + str(p.pattern)


def url_patterns() -> list[tuple[str, str]]:
    """(name, route) of every pattern; API operations are listed separately (by the schema)."""
    return list(_walk(get_resolver()))


def api_operations(schema: dict) -> list[tuple[str, str]]:
    """("GET", "/api/members/{member_id}") for every operation the schema publishes."""
    methods = ("get", "post", "put", "patch", "delete")
    return [(m.upper(), path) for path, item in schema["paths"].items() for m in methods if m in item]
