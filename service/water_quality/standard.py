"""GB 3838-2002 water-quality classes of a river section, by the single-factor method.

Source of the limits: 《地表水环境质量标准》GB 3838-2002, 表1 地表水环境质量标准基本项目标准
限值 (mg/L). Source of the method: 《地表水环境质量评价办法（试行）》(环办〔2011〕22号), 断面
水质评价: a section's class is that of its worst assessed parameter (单因子评价法, "the worst
parameter decides"); where two classes share a limit, the better class is given (COD and
BOD5 have equal I and II limits); a river section is assessed without 水温, 总氮 and 粪大肠菌群
(总氮 is judged for lakes and reservoirs only), and pH is checked against 6-9, which holds for
every class, so it has no class of its own. Averages over a month or a year are arithmetic
means of each parameter, then classified the same way (the 办法's 时段评价).

Classes are numbered 1-6: I, II, III, IV, V and 6 for 劣V (worse than V). Only river limits
are here: TP for lakes and reservoirs is stricter (0.01 ... 0.2) and TN counts there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Parameter = Literal["do", "codmn", "cod", "bod5", "nh3n", "tp", "tn", "ph"]


@dataclass(frozen=True)
class ParameterInfo:
    """One monitored parameter: its code, Chinese name, unit and plausible range.

    ``limits``: the class I..V limits (mg/L) of GB 3838-2002 表1 for rivers, or None when the
    parameter is not classed for rivers (TN, pH). ``higher_is_better``: DO must be at least
    its limit; every other parameter at most. ``max_plausible``: larger values are refused
    on import as typing mistakes (mg/L; pH 0-14).
    """

    code: Parameter
    name: str
    name_en: str
    unit: str
    limits: tuple[float, float, float, float, float] | None
    higher_is_better: bool
    max_plausible: float
    #: Other spellings accepted as column headers (abbreviations used in bureau sheets).
    aliases: tuple[str, ...] = ()


PARAMETERS: tuple[ParameterInfo, ...] = (
    ParameterInfo("do", "溶解氧", "dissolved oxygen", "mg/L", (7.5, 6, 5, 3, 2), True, 25, ("DO",)),
    ParameterInfo(
        "codmn",
        "高锰酸盐指数",
        "permanganate index",
        "mg/L",
        (2, 4, 6, 10, 15),
        False,
        200,
        ("CODMn", "高锰酸钾指数"),
    ),
    ParameterInfo(
        "cod",
        "化学需氧量",
        "chemical oxygen demand",
        "mg/L",
        (15, 15, 20, 30, 40),
        False,
        1000,
        ("COD", "CODcr"),
    ),
    ParameterInfo(
        "bod5",
        "五日生化需氧量",
        "five-day biochemical oxygen demand",
        "mg/L",
        (3, 3, 4, 6, 10),
        False,
        500,
        ("BOD5", "生化需氧量"),
    ),
    ParameterInfo(
        "nh3n",
        "氨氮",
        "ammonia nitrogen",
        "mg/L",
        (0.15, 0.5, 1.0, 1.5, 2.0),
        False,
        200,
        ("NH3-N", "NH3N"),
    ),
    ParameterInfo(
        "tp",
        "总磷",
        "total phosphorus",
        "mg/L",
        (0.02, 0.1, 0.2, 0.3, 0.4),
        False,
        50,
        ("TP",),
    ),
    # Measured and stored, never classed for rivers (the 办法 leaves TN to lakes).
    ParameterInfo("tn", "总氮", "total nitrogen", "mg/L", None, False, 200, ("TN",)),
    # Checked against 6-9 (every class's range); no class.
    ParameterInfo("ph", "pH", "pH", "", None, False, 14, ("pH值", "PH")),
)
BY_CODE: dict[str, ParameterInfo] = {p.code: p for p in PARAMETERS}
PARAMETER_CODES: tuple[Parameter, ...] = tuple(p.code for p in PARAMETERS)
#: pH range of every class in GB 3838-2002 表1.
PH_RANGE = (6.0, 9.0)
WORSE_THAN_V = 6
CLASS_LABELS = {1: "Ⅰ类", 2: "Ⅱ类", 3: "Ⅲ类", 4: "Ⅳ类", 5: "Ⅴ类", 6: "劣Ⅴ类"}
CLASS_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "劣V"}
#: Map and chart colours by class (the Ministry of Ecology and Environment's usual ramp:
#: blue I-II, green III, yellow IV, orange V, red 劣V).
CLASS_COLOURS = {
    1: "#4fa3e0",
    2: "#1f78b4",
    3: "#33a02c",
    4: "#e6c300",
    5: "#ff7f00",
    6: "#e31a1c",
}

Values = dict[str, float]


def parameter_class(code: str, value: float) -> int | None:
    """The class (1-6) of one value of parameter ``code`` (mg/L); None if it has no class.

    The first (best) class whose limit the value meets, so equal limits give the better class.
    """
    info = BY_CODE[code]
    if info.limits is None or not math.isfinite(value):
        return None
    for cls, limit in enumerate(info.limits, start=1):
        if (value >= limit) if info.higher_is_better else (value <= limit):
            return cls
    return WORSE_THAN_V


@dataclass(frozen=True)
class Classification:
    """A reading (or a mean of readings) classified: ``water_class`` 1-6, None when no
    classed parameter was measured. ``by_parameter``: each classed parameter's class;
    ``worst``: the parameters that decide (all at ``water_class``), in table order;
    ``ph_in_range``: pH within 6-9 (None if not measured)."""

    water_class: int | None
    by_parameter: dict[str, int]
    worst: tuple[str, ...]
    ph_in_range: bool | None

    def meets(self, target_class: int) -> bool | None:
        """Whether the class is as good as the target (None when there is no class)."""
        return None if self.water_class is None else self.water_class <= target_class


def classify(values: Values) -> Classification:
    """Single-factor classification of measured ``values`` (parameter code -> mg/L or pH)."""
    by_parameter: dict[str, int] = {}
    for code in PARAMETER_CODES:
        if code in values:
            cls = parameter_class(code, values[code])
            if cls is not None:
                by_parameter[code] = cls
    water_class = max(by_parameter.values(), default=None)
    worst = tuple(c for c, k in by_parameter.items() if k == water_class)
    ph = values.get("ph")
    ph_ok = None if ph is None else PH_RANGE[0] <= ph <= PH_RANGE[1]
    return Classification(water_class, by_parameter, worst, ph_ok)


def class_label(water_class: int | None) -> str | None:
    return None if water_class is None else CLASS_LABELS[water_class]
