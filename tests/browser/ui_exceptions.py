"""The role matrix's UI coverage (issue 15): where each permission is used in the browser, and
the ONE table of exceptions.

``CONTROLS``: permission -> the controls that use it, each found the way a screen reader finds
it (ARIA role and accessible name) at a place of the page (``where``):

- ``page``: the page after sign-in (header, map, layer control);
- ``nav``: the workbench navigation 工作台 (links to screens, 修改密码 …);
- ``screen:<id>``: inside the workspace once that screen is opened from the navigation;
- ``problem:actionable``: the panel of a problem on which the API gives this role an action;
- ``problem:open``: the panel of an open problem this role may read;
- ``neighbor``: the neighbour view of 眉山市 (``/#neighbor-511400``).

``EXCEPTIONS``: (permission, role or "*") -> why the UI offers no control. Everything else a
role holds must be on screen for it: ``tests/browser/test_ui_coverage.py`` checks both.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTION_NAMES = (
    "交办",
    "开始整改",
    "整改完成",
    "复核通过",
    "复核不通过",
    "销号",
    "未整改关闭",
    "标记重复",
    "重新打开",
)


@dataclass(frozen=True)
class Control:
    where: str
    role: str  # ARIA role
    name: str | tuple[str, ...]  # accessible name; a tuple: any of them
    exact: bool = True  # False: the name contains it (a button showing the user's name)


CONTROLS: dict[str, tuple[Control, ...]] = {
    "registry.read": (Control("page", "application", "map"),),
    "registry.write": (
        Control("nav", "link", "河长名录"),
        Control("screen:registry", "button", "新增河长"),
        Control("screen:registry", "button", "新增任命"),
    ),
    "reaches.write": (Control("nav", "link", "河段管理"),),
    "auth.me": (Control("page", "button", "退出", exact=False),),
    "auth.password": (Control("nav", "button", "修改密码"),),
    "patrols.upload": (
        Control("page", "button", "上传轨迹"),
        Control("page", "button", "开始巡河"),
    ),
    "patrols.track": (Control("page", "checkbox", "巡河轨迹"),),
    # The map draws coverage; the period chooses which (segments are not a toggled layer).
    "coverage.read": (Control("page", "combobox", "period"),),
    # 驾驶舱 (issue 17): the toolbar links /dashboard, which reads /api/v1/stats/overview.
    "stats.read": (Control("page", "link", "驾驶舱"),),
    "problems.report": (Control("page", "button", "报告问题"),),
    "problems.read": (Control("nav", "link", "问题"),),
    "problems.transition": (
        Control("problem:actionable", "region", "可办理的操作"),
        Control("problem:actionable", "button", ACTION_NAMES),
    ),
    "problems.photo.upload": (Control("problem:open", "button", "上传照片"),),
    "problems.photo.read": (Control("problem:open", "region", "照片"),),
    "problems.summary": (Control("screen:problems", "button", "按区县统计"),),
    "problems.map": (Control("page", "checkbox", "问题"),),
    "cross_boundary.read": (Control("page", "combobox", "neighbor"),),
    "cross_boundary.view": (Control("neighbor", "button", "联席会议简报"),),
    "public.moderate": (Control("nav", "link", "举报审核"),),
    "todo.read": (Control("nav", "link", "我的待办"),),
    "sections.read": (Control("nav", "link", "水质断面与监测数据"),),
    "sections.readings": (Control("nav", "link", "水质断面与监测数据"),),
    "sections.write": (Control("screen:water-quality", "button", "登记"),),
    "notifications.preferences": (Control("nav", "link", "我的通知设置"),),
    "notifications.outbox": (Control("nav", "link", "通知发件箱"),),
    "notifications.channels": (Control("nav", "link", "通知渠道"),),
    # Governance (issue 16): the 履职 screens. A chief's part of meetings.write and lists.write
    # is approving (审定) what they chair or head: the button listing what waits for them.
    "governance.read": (Control("nav", "link", "会议与纪要"),),
    "meetings.write": (Control("screen:meetings", "button", ("新建会议", "待我审定的会议纪要")),),
    "action_items.update": (Control("screen:action-items", "button", "可办理的议定事项"),),
    "lists.write": (
        Control("screen:lists", "button", ("新建一河一策方案", "待我审定的清单和方案")),
    ),
    "health.write": (Control("screen:health", "button", "录入健康评价"),),
    "health.map": (Control("page", "checkbox", "河湖健康评价"),),
    "health.approve": (Control("screen:health", "button", "待我审定的健康评价"),),
    "inspections.write": (Control("screen:inspections", "button", "新建督查"),),
    "accountability.write": (
        Control("screen:inspections", "button", "新建提示、通报、约谈、问责"),
        Control("screen:inspections", "button", "新建表彰、表扬、激励"),
    ),
    "assessment.write": (Control("screen:yearly", "button", "印发考核结果"),),
    "agreements.read": (Control("nav", "link", "跨界协作"),),
    "agreements.write": (Control("screen:cooperation", "button", "新建合作协议"),),
    # River archive and signboards (issue 19).
    "archive.read": (Control("nav", "link", "一河一档"),),
    "archive.write": (Control("screen:archive", "button", "编辑档案"),),
    "signboards.read": (Control("nav", "link", "河长公示牌"),),
    "signboards.write": (Control("screen:signboards", "button", "新建公示牌"),),
    # Patrols, compliance, accounts, audit, exports, downloads and search (issue 15, wbapi).
    "patrols.read": (Control("nav", "link", "巡河记录"),),
    "patrols.void": (Control("screen:patrols", "button", "作废巡河", exact=False),),
    "patrols.raw": (Control("screen:patrols", "button", "原始文件", exact=False),),
    "compliance.read": (
        Control("nav", "link", "巡河履职"),
        Control("screen:compliance", "button", "下载履职 XLSX"),
    ),
    "users.admin": (
        Control("nav", "link", "账号管理"),
        Control("screen:users", "button", "新建账号"),
    ),
    "audit.read": (Control("nav", "link", "审计日志"),),
    # Every file behind a click asks for a single-use link; the layer exports are for all.
    "downloads.link": (Control("screen:exports", "button", "下载河流 GeoPackage"),),
    "exports.table": (Control("screen:problems", "button", "导出 XLSX"),),
    "search.read": (Control("nav", "searchbox", "地图搜索"),),
}

_NO_WORKFLOW = (
    "held by every role so service/problems/workflow.py decides; it gives this role no transition"
)

#: (permission, role or "*") -> reason. ONE table: every exception is here, with its reason.
EXCEPTIONS: dict[tuple[str, str], str] = {
    # Machine-only endpoints: for GIS clients and links in messages, not for a page.
    ("tiles.read", "*"): "machine-only: vector tiles for GIS clients; the web map draws GeoJSON",
    ("ogc.read", "*"): "machine-only: OGC API Features for GIS clients (QGIS, ArcGIS)",
    ("notifications.unsubscribe", "*"): "machine-only: the signed link in a message",
    ("signboards.page", "*"): (
        "the page a signboard's QR code opens (/r/{reach code}); staff reach it by the link "
        "公示页面 of each board in 河长公示牌"
    ),
    # The citizens' page: staff accounts report through 报告问题 (problems.report).
    ("public.report", "*"): (
        "the citizens' form at /report (link 市民举报 while signed out); "
        "accounts report through 报告问题"
    ),
    # The workflow, not the matrix, decides who acts on a problem.
    ("problems.transition", "chief"): _NO_WORKFLOW,
    ("problems.transition", "patrol"): _NO_WORKFLOW,
    ("problems.transition", "neighbor_viewer"): _NO_WORKFLOW,
}
