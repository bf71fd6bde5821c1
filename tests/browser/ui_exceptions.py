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
}

_GOVERNANCE = (
    "pending: the governance screens of issue 16 (meetings, lists, health, inspections, "
    "assessment) are not built yet"
)
_NO_WORKFLOW = (
    "held by every role so service/problems/workflow.py decides; it gives this role no transition"
)
_WBAPI = "pending merge: static/js/wb/screens/{} (helper wbapi builds it)"

#: (permission, role or "*") -> reason. ONE table: every exception is here, with its reason.
EXCEPTIONS: dict[tuple[str, str], str] = {
    # Machine-only endpoints: for GIS clients and links in messages, not for a page.
    ("tiles.read", "*"): "machine-only: vector tiles for GIS clients; the web map draws GeoJSON",
    ("ogc.read", "*"): "machine-only: OGC API Features for GIS clients (QGIS, ArcGIS)",
    ("notifications.unsubscribe", "*"): "machine-only: the signed link in a message",
    # The citizens' page: staff accounts report through 报告问题 (problems.report).
    ("public.report", "*"): (
        "the citizens' form at /report (link 市民举报 while signed out); "
        "accounts report through 报告问题"
    ),
    # The workflow, not the matrix, decides who acts on a problem.
    ("problems.transition", "chief"): _NO_WORKFLOW,
    ("problems.transition", "patrol"): _NO_WORKFLOW,
    ("problems.transition", "neighbor_viewer"): _NO_WORKFLOW,
    # Registry editing: no screen in issue 15.
    ("registry.write", "office"): (
        "pending: officials, liaison units and assignments are loaded by `riverchief import`; "
        "an editing screen is not part of issue 15"
    ),
    # The other workbench helper's screens, listed in SCREENS by the lead at merge.
    ("users.admin", "office"): _WBAPI.format("users.js"),
    ("audit.read", "office"): _WBAPI.format("audit.js"),
    ("patrols.read", "*"): _WBAPI.format("patrols.js"),
    ("patrols.void", "office"): _WBAPI.format("patrols.js"),
    ("patrols.raw", "office"): _WBAPI.format("patrols.js"),
    ("compliance.read", "*"): _WBAPI.format("compliance.js"),
    # Governance (issue 16).
    ("governance.read", "*"): _GOVERNANCE,
    ("meetings.write", "*"): _GOVERNANCE,
    ("action_items.update", "*"): _GOVERNANCE,
    ("lists.write", "*"): _GOVERNANCE,
    ("health.write", "*"): _GOVERNANCE,
    ("health.map", "*"): _GOVERNANCE,
    ("health.approve", "*"): _GOVERNANCE,
    ("inspections.write", "*"): _GOVERNANCE,
    ("accountability.write", "*"): _GOVERNANCE,
    ("assessment.write", "*"): _GOVERNANCE,
    ("agreements.read", "*"): _GOVERNANCE,
    ("agreements.write", "*"): _GOVERNANCE,
}
