"""The health configuration and the score sheet can be replaced by JSON files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.governance.assessment.sheet import load_sheet
from service.governance.health.config import compute, load_config


def test_health_config_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "health.json"
    path.write_text(
        json.dumps(
            {
                "source": "某省地方标准（示例）",
                "criteria": {"water": ["水", 0.5], "biota": ["生物", 0.5]},
                "indicators": [
                    {
                        "code": "water_quality",
                        "name": "水质优劣程度",
                        "criterion": "water",
                        "required": True,
                    },
                    {
                        "code": "fish",
                        "name": "鱼类",
                        "criterion": "biota",
                        "required": True,
                        "weight": 2.0,
                    },
                    {"code": "birds", "name": "水鸟", "criterion": "biota", "required": False},
                ],
                "classes": [[80, "good", "好"], [0, "bad", "差"]],
            }
        ),
        encoding="utf-8",
    )
    cfg = load_config(str(path))
    # biota = (70*2 + 100*1) / 3 = 80; RHI = 0.5*60 + 0.5*80 = 70 -> 差
    rhi, criteria = compute(cfg, {"water_quality": 60, "fish": 70, "birds": 100})
    assert criteria == {"water": 60.0, "biota": 80.0}
    assert rhi == 70.0 and cfg.classify(rhi) == "bad" and cfg.classify(80) == "good"


def test_score_sheet_from_a_file_refuses_unknown_methods(tmp_path: Path) -> None:
    good = tmp_path / "sheet.json"
    good.write_text(
        json.dumps(
            {
                "items": [
                    {"code": "rect", "label": "整改", "method": "rectification_on_time", "max": 60},
                    {"code": "manual", "label": "其他", "method": "manual", "max": 40},
                ]
            }
        ),
        encoding="utf-8",
    )
    items = load_sheet(str(good))
    assert [i.code for i in items] == ["rect", "manual"] and sum(i.max for i in items) == 100
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"items": [{"code": "x", "label": "x", "method": "guess", "max": 10}]}),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="unknown method"):
        load_sheet(str(bad))
