"""River health assessment configuration, after the MWR guideline of 2020.

Source: 水利部河湖管理司《河湖健康评价指南（试行）》(2020年8月). Its river indicator system
has four criteria — 盆 (basin/channel form), 水 (water quantity and quality), 生物 (biota),
社会服务功能 (social service functions) — weighted 0.2 / 0.3 / 0.2 / 0.3 for rivers; the
river health index RHI = Σ criterion weight × criterion score, each criterion score the
weighted mean of its indicators' scores (0-100). Classes: 一类 非常健康 90 ≤ RHI ≤ 100,
二类 健康 75 ≤ RHI < 90, 三类 亚健康 60 ≤ RHI < 75, 四类 不健康 40 ≤ RHI < 60,
五类 劣态 RHI < 40.

Verification (2026-11): the guideline's own text was not among the sources we could search.
Secondary sources agree on the four criteria (a 2025 study of the Kedu River, Guizhou, built
on it) and on the indicator names (the API catalogue of a Daihai lake health system lists
岸线自然状况, 水质优劣程度, 水体自净能力, 鱼类保有指数, 水鸟状况, 防洪达标率, 供水水量保障程度,
公众满意度 ...); the criterion weights and class bounds above are as we know them from the
guideline but were NOT confirmed against its text. They are configuration: an office that
reads them differently changes this file (or ``RIVERCHIEF_HEALTH_CONFIG``), not code.
Within a criterion the guideline leaves indicator weights to the assessor; equal weights over
the indicators actually scored are the default here (``weight`` per indicator overrides).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from service.errors import InvalidInput


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    criterion: str
    required: bool  # 必选 in the guideline; 备选 otherwise
    weight: float = 1.0


@dataclass(frozen=True)
class HealthConfig:
    source: str
    criteria: dict[str, tuple[str, float]]  # code -> (label, weight)
    indicators: tuple[Indicator, ...]
    #: (lower bound inclusive, class code, label), highest first.
    classes: tuple[tuple[float, str, str], ...]
    #: 水质优劣程度 (``water_quality``) score by GB 3838 class 1-6 (6 = 劣V), used when the
    #: indicator is filled from the river's monitoring sections (issue 20).
    water_quality_scores: dict[int, float] = field(
        default_factory=lambda: dict(WATER_QUALITY_SCORES)
    )

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise InvalidInput(
            f"unknown health indicator {code!r}", valid=[i.code for i in self.indicators]
        )

    def classify(self, score: float) -> str:
        for lower, code, _ in self.classes:
            if score >= lower:
                return code
        return self.classes[-1][1]

    def label(self, class_code: str) -> str:
        return next(label for _, code, label in self.classes if code == class_code)


#: Score of the 水质优劣程度 indicator by water class (I, II, III, IV, V, 劣V). The guideline
#: scores this indicator from the worst parameter's class, in bands that fall as the class
#: worsens; the band edges here (100 / 90 / 75 / 60 / 40 / 0, the RHI class bounds) are how we
#: read it and were NOT confirmed against its text (see the module docstring): configuration,
#: like the weights.
WATER_QUALITY_SCORES: dict[int, float] = {1: 100.0, 2: 90.0, 3: 75.0, 4: 60.0, 5: 40.0, 6: 0.0}

GUIDELINE_2020 = HealthConfig(
    source="水利部河湖管理司《河湖健康评价指南（试行）》2020年8月",
    criteria={
        "basin": ("盆", 0.2),
        "water": ("水", 0.3),
        "biota": ("生物", 0.2),
        "social": ("社会服务功能", 0.3),
    },
    indicators=(
        Indicator("longitudinal_connectivity", "河流纵向连通指数", "basin", False),
        Indicator("shoreline_naturalness", "岸线自然状况", "basin", True),
        Indicator("illegal_shoreline_use", "违规开发利用水域岸线程度", "basin", True),
        Indicator("ecological_flow", "生态流量/水位满足程度", "water", True),
        Indicator("flow_variation", "流量过程变异程度", "water", False),
        Indicator("water_quality", "水质优劣程度", "water", True),
        Indicator("sediment_pollution", "底泥污染状况", "water", False),
        Indicator("self_purification", "水体自净能力", "water", True),
        Indicator("benthic_ibi", "大型底栖无脊椎动物生物完整性指数", "biota", False),
        Indicator("fish_retention", "鱼类保有指数", "biota", True),
        Indicator("waterbirds", "水鸟状况", "biota", False),
        Indicator("aquatic_plants", "水生植物群落状况", "biota", False),
        Indicator("flood_control", "防洪达标率", "social", False),
        Indicator("water_supply", "供水水量保证程度", "social", False),
        Indicator("drinking_source_quality", "河流集中式饮用水水源地水质达标率", "social", False),
        Indicator("shoreline_management", "岸线利用管理指数", "social", False),
        Indicator("navigation", "通航保证率", "social", False),
        Indicator("public_satisfaction", "公众满意度", "social", True),
    ),
    classes=(
        (90.0, "very_healthy", "非常健康"),
        (75.0, "healthy", "健康"),
        (60.0, "sub_healthy", "亚健康"),
        (40.0, "unhealthy", "不健康"),
        (0.0, "poor", "劣态"),
    ),
)


@cache
def load_config(path: str | None) -> HealthConfig:
    """The configuration: the guideline's unless ``path`` names a JSON file of the same shape."""
    if not path:
        return GUIDELINE_2020
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return HealthConfig(
        source=raw["source"],
        criteria={k: (v[0], float(v[1])) for k, v in raw["criteria"].items()},
        indicators=tuple(Indicator(**i) for i in raw["indicators"]),
        classes=tuple((float(a), b, c) for a, b, c in raw["classes"]),
        water_quality_scores={
            int(k): float(v)
            for k, v in raw.get("water_quality_scores", WATER_QUALITY_SCORES).items()
        },
    )


def compute(config: HealthConfig, scores: dict[str, float]) -> tuple[float, dict[str, float]]:
    """RHI and the criterion scores from indicator scores (0-100).

    Every criterion needs at least its required indicators (必选), so a score is never made
    from a part of the system without saying so.
    """
    missing = [i.code for i in config.indicators if i.required and i.code not in scores]
    if missing:
        raise InvalidInput(f"required indicators missing: {', '.join(missing)}", missing=missing)
    criterion_scores: dict[str, float] = {}
    for code in config.criteria:
        used = [i for i in config.indicators if i.criterion == code and i.code in scores]
        total_w = sum(i.weight for i in used)
        criterion_scores[code] = sum(scores[i.code] * i.weight for i in used) / total_w
    rhi = sum(criterion_scores[c] * w for c, (_, w) in config.criteria.items())
    return round(rhi, 2), {k: round(v, 2) for k, v in criterion_scores.items()}
