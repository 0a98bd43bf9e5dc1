"""The JSON API: one NinjaAPI; each feature app adds its router in ROUTERS.

Every operation authenticates by bearer token or session, and reads through
the scoping selector: what is out of the caller's scope answers 404.
Errors share one shape (dangjian.api.errors); the user guide is docs/api.md.
"""

from ninja import NinjaAPI, Swagger

from dangjian.api.auth import token_or_session
from dangjian.api.errors import install_error_handlers

DESCRIPTION = """党建工作平台的 JSON 接口。

**认证**：在“账户安全”页面（/accounts/security/）创建 API 令牌，调用时加请求头
`Authorization: Bearer <令牌>`；浏览器中已登录的会话也可调用，写操作须带 `X-CSRFToken` 请求头。

**范围**：每个角色只能看到并操作其所在组织及下级组织的数据；范围之外的记录与不存在的记录一样，返回 404。

**分页**：列表接口接受 `page`（从 1 开始）与 `page_size`（默认 50，最大 200），返回 `{"items": [...], "count": 总数}`。

**错误**：400 返回 `{"detail": "第一条错误", "errors": {"字段": ["说明", ...]}}`；401 未认证；404 未找到。

**敏感信息**：身份证号、手机号只以脱敏形式返回；查看完整号码须调用 `reveal` 接口，且每次都记入审计日志。
"""

class DangjianAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        # Answers carry personal data: never kept by a browser or a shared cache.
        response.setdefault("Cache-Control", "no-store")
        return response


api = DangjianAPI(
    title="党建工作平台 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Bundled Swagger UI assets ("ninja" in INSTALLED_APPS); no online validator badge.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
    auth=token_or_session,
)
install_error_handlers(api)


# (prefix, dotted path of a ninja Router). One line per feature app.
ROUTERS = [
    ("/", "dangjian.orgs.api.router"),
    ("/dues", "dangjian.dues.api.router"),
    ("/recruitment", "dangjian.recruitment.api.router"),
    ("/meetings", "dangjian.meetings.api.router"),
    ("/committees", "dangjian.committees.api.router"),
    ("/grids", "dangjian.grids.api.router"),
    ("/appeals", "dangjian.appeals.api.router"),
    ("/projects", "dangjian.projects.api.router"),
    ("/duty", "dangjian.duty.api.router"),
    ("/surveys", "dangjian.surveys.api.router"),
    ("/assessment", "dangjian.assessment.api.router"),
    ("/resources", "dangjian.resources.api.router"),
    ("/volunteering", "dangjian.volunteering.api.router"),
    ("/learning", "dangjian.learning.api.router"),
    ("/evaluation", "dangjian.evaluation.api.router"),
    ("/dashboards", "dangjian.dashboards.api.router"),
]

for prefix, router in ROUTERS:
    api.add_router(prefix, router)
