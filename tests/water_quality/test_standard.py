"""GB 3838-2002 single-factor classes, checked by hand against 表1 (river limits, mg/L)."""

from __future__ import annotations

import pytest

from service.water_quality.standard import classify, parameter_class


def test_the_hand_checked_example() -> None:
    # DO 5.5 >= 5 (III) but < 6 (II); CODMn 4.5 <= 6 (III) but > 4 (II); NH3-N 1.2 <= 1.5
    # (IV) but > 1.0 (III); TP 0.15 <= 0.2 (III) but > 0.1 (II): the worst, NH3-N, decides.
    values = {"do": 5.5, "codmn": 4.5, "nh3n": 1.2, "tp": 0.15}
    assert {c: parameter_class(c, v) for c, v in values.items()} == {
        "do": 3,
        "codmn": 3,
        "nh3n": 4,
        "tp": 3,
    }
    found = classify(values)
    assert found.water_class == 4
    assert found.worst == ("nh3n",)
    assert found.meets(3) is False and found.meets(4) is True


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("do", 7.5, 1),  # at least the limit
        ("do", 7.49, 2),
        ("do", 2.0, 5),
        ("do", 1.99, 6),  # 劣V
        ("tp", 0.02, 1),  # at most the limit
        ("tp", 0.021, 2),
        ("tp", 0.4, 5),
        ("tp", 0.41, 6),
        ("cod", 15, 1),  # I and II share 15: the better class
        ("cod", 15.1, 3),
        ("bod5", 3, 1),
        ("bod5", 3.5, 3),
        ("nh3n", 0.15, 1),
        ("nh3n", 2.01, 6),
        ("codmn", 15, 5),
    ],
)
def test_limits_at_their_edges(code: str, value: float, expected: int) -> None:
    assert parameter_class(code, value) == expected


def test_total_nitrogen_and_ph_have_no_class_for_rivers() -> None:
    # TN 5 mg/L would be 劣V in a lake; a river section is judged without it.
    found = classify({"tn": 5.0, "ph": 9.4, "do": 8.0})
    assert found.water_class == 1
    assert "tn" not in found.by_parameter and "ph" not in found.by_parameter
    assert found.ph_in_range is False
    assert classify({"ph": 6.0}).ph_in_range is True
    assert classify({"ph": 6.0}).water_class is None  # nothing classed was measured


def test_several_parameters_at_the_worst_class_are_all_named() -> None:
    found = classify({"do": 2.5, "nh3n": 1.8, "tp": 0.05})
    assert found.water_class == 5 and found.worst == ("do", "nh3n")
