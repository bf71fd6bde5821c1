"""Patrol duties by level (巡河频次): how often, how long and how far, each with its source.

A rule says: at least ``per_year`` patrols a year and ``per_period`` in each ``period``
(``half``, ``quarter``, ``month``, ``xun`` = 旬, ``week``) the chief held for more than half
of it; a patrol counts for the rule when it is valid (the settings' floor) and lasts at least
``min_duration_min`` minutes along at least ``min_length_km`` of track. Compliance, the
to-do and the annual assessment all read these rules.

The defaults below cite where each comes from. Provincial and county practice differ, and
Leshan's own rules replace them: ``RIVERCHIEF_DUTY_RULES`` names a JSON file
``{"rules": [{"key": "village", "per_year": 0, "period": "xun", "per_period": 1,
"min_duration_min": 30, "min_length_km": 2, "source": "…"}, …]}``; keys it leaves out keep
their default.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from service.errors import InvalidInput

PERIODS = ("half", "quarter", "month", "xun", "week")
#: Rule keys: the general chief, then river chiefs by the level of their reach.
KEYS = ("general_chief", "city", "county", "township", "village")
#: Stricter first: an official who is a chief at two levels answers to the stricter rule.
STRICTNESS = ("village", "township", "county", "city", "general_chief")


@dataclass(frozen=True)
class DutyRule:
    key: str
    per_year: int
    period: str | None
    per_period: int
    min_duration_min: float
    min_length_km: float
    source: str

    def describe(self) -> str:
        """The rule in the office's words (zh-CN)."""
        parts = []
        if self.per_year:
            parts.append(f"每年不少于{self.per_year}次")
        if self.period:
            parts.append(f"每{PERIOD_ZH[self.period]}不少于{self.per_period}次")
        parts.append(f"每次不少于{self.min_duration_min:g}分钟、{self.min_length_km:g}公里")
        return f"{KEY_ZH[self.key]}：" + "，".join(parts)


PERIOD_ZH = {"half": "半年", "quarter": "季度", "month": "月", "xun": "旬", "week": "周"}
KEY_ZH = {
    "general_chief": "市总河长",
    "city": "市级河长",
    "county": "县级河长",
    "township": "乡级河长",
    "village": "村级河长",
}

_FIVE_LEVELS = (
    "河南省五级河长巡河频次（新华社 2018-05-13：县级每季度、乡级每月、村级每周不少于1次）; "
    "阿合奇县水利局《巡河要求》2022-06-14（县级每季度，乡级每月，村级每周；"
    "县乡村级每次不少于30分钟，乡村级不少于2公里）"
)
_SICHUAN = (
    "本市机制第二十二条：县乡村级河长按《四川省河湖长制条例》执行；"
    "条例原文未离线核对，以下为各地通行做法，乐山市规定以 RIVERCHIEF_DUTY_RULES 替换"
)

DEFAULT_RULES: dict[str, DutyRule] = {
    "general_chief": DutyRule(
        "general_chief", 1, None, 0, 10, 1, "乐山市市级河湖长制工作协调机制（2023）第四条"
    ),
    "city": DutyRule("city", 3, "half", 1, 10, 1, "乐山市市级河湖长制工作协调机制（2023）第六条"),
    "county": DutyRule("county", 0, "quarter", 1, 30, 1, f"{_SICHUAN}; {_FIVE_LEVELS}"),
    "township": DutyRule("township", 0, "month", 1, 30, 2, f"{_SICHUAN}; {_FIVE_LEVELS}"),
    "village": DutyRule(
        "village",
        0,
        "week",
        1,
        30,
        2,
        f"{_SICHUAN}; {_FIVE_LEVELS}; 一些县要求村级每旬一次：period 设为 xun",
    ),
}


def _rule(raw: dict[str, Any], where: str) -> DutyRule:
    key = raw.get("key")
    if key not in KEYS:
        raise InvalidInput(f"{where}: key must be one of {', '.join(KEYS)}, got {key!r}")
    base = DEFAULT_RULES[str(key)]
    unknown = set(raw) - {f for f in DutyRule.__dataclass_fields__}
    if unknown:
        raise InvalidInput(f"{where}: unknown fields {sorted(unknown)}")
    rule = replace(base, **{k: v for k, v in raw.items() if k != "key"})
    if rule.period is not None and rule.period not in PERIODS:
        raise InvalidInput(f"{where}: period must be one of {', '.join(PERIODS)} or null")
    if not (0 <= rule.per_year <= 366 and 0 <= rule.per_period <= 31):
        raise InvalidInput(f"{where}: per_year must be 0-366 and per_period 0-31")
    if rule.per_year == 0 and (rule.period is None or rule.per_period == 0):
        raise InvalidInput(f"{where}: a rule needs per_year or a period with per_period")
    if not (0 <= rule.min_duration_min <= 24 * 60 and 0 <= rule.min_length_km <= 200):
        raise InvalidInput(f"{where}: min_duration_min 0-1440, min_length_km 0-200")
    if not str(rule.source).strip():
        raise InvalidInput(f"{where}: every rule cites its source")
    return rule


@cache
def load_rules(path: str | None) -> dict[str, DutyRule]:
    """The default rules, with those of the JSON file at ``path`` replacing them."""
    if not path:
        return dict(DEFAULT_RULES)
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"RIVERCHIEF_DUTY_RULES {path}: {exc}") from exc
    rules = dict(DEFAULT_RULES)
    for n, item in enumerate(raw.get("rules", []) if isinstance(raw, dict) else []):
        rule = _rule(item, f"{path} rule {n + 1}")
        rules[rule.key] = rule
    return rules


def rules() -> dict[str, DutyRule]:
    from service.settings import get_settings

    return load_rules(get_settings().duty_rules)
