"""The yearly health exam: plausible values, who is due, and results not given back."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.errors import ValidationError
from app.core.exams import (
    ExamSettings,
    HealthExam,
    exam_due,
    exam_reasons,
    exam_settings,
    result_overdue,
    validate_exam,
)

D = dt.date
TODAY = D(2025, 6, 1)
S = ExamSettings()


def exam(**kw: object) -> HealthExam:
    values: dict[str, object] = {
        "temperature": 36.5, "pulse": 72, "respiration": 18, "sbp_left": 132, "dbp_left": 84,
        "sbp_right": 130, "dbp_right": 82, "height": 165.0, "weight": 68.0, "waist": 86.0,
        "skin": "正常", "lymph_nodes": "未触及", "heart_rate": 72, "heart_rhythm": "齐",
        "heart_murmur": "无", "breath_sounds": "正常", "rales": "无", "exercise": "每天",
        "diet": ["荤素均衡"], "smoking": "从不吸烟", "drinking": "偶尔", "hb": 135.0,
        "wbc": 6.2, "plt": 210.0, "urine_protein": "-", "glucose": 5.4, "tc": 4.8,
        "creatinine": 78.0, "alt": 22.0, "ecg": "正常", "ultrasound": "正常", "conclusion": "健康",
    }
    values.update(kw)
    return HealthExam(id=None, person_id="p1", exam_date=D(2025, 5, 20), **values)  # type: ignore[arg-type]


def test_a_complete_exam_is_valid_and_bmi_is_computed() -> None:
    e = validate_exam(exam(), today=TODAY)
    assert e.bmi == 25.0


@pytest.mark.parametrize(("change", "field"), [
    ({"temperature": 45.0}, "temperature"), ({"pulse": 10}, "pulse"), ({"respiration": 80}, "respiration"),
    ({"sbp_left": 80, "dbp_left": 90}, "sbp_left"), ({"dbp_right": None}, "sbp_right"),
    ({"height": 300.0}, "height"), ({"weight": 1.0}, "weight"), ({"waist": 250.0}, "waist"),
    ({"hb": 10.0}, "hb"), ({"plt": 3000.0}, "plt"), ({"glucose": 0.5}, "glucose"),
    ({"urine_protein": "+++++"}, "urine_protein"), ({"skin": "蓝色"}, "skin"),
    ({"ecg": "不好"}, "ecg"), ({"conclusion": "很好"}, "conclusion"),
    ({"conclusion": "一般疾病"}, "abnormalities"), ({"smoking": "吸烟"}, "cigarettes_per_day"),
    ({"tbil": 10.0, "dbil": 12.0}, "dbil"), ({"guidance": ["多喝水"]}, "guidance"),
    ({"symptoms": ["无症状", "头痛"]}, "symptoms"), ({"exam_date": D(2025, 6, 2)}, "exam_date"),
    ({"result_returned_on": D(2025, 5, 1)}, "result_returned_on"),
])
def test_implausible_values_are_refused_naming_the_field(change: dict[str, object], field: str) -> None:
    e = exam()
    for k, v in change.items():
        setattr(e, k, v)
    with pytest.raises(ValidationError) as err:
        validate_exam(e, today=TODAY)
    assert err.value.field == field
    assert not err.value.message.isascii()


def test_who_needs_a_yearly_exam() -> None:
    assert exam_reasons(D(1960, 12, 31), [], 2025, S) == ["65岁及以上"]      # turns 65 this year
    assert exam_reasons(D(1961, 1, 1), [], 2025, S) == []
    assert exam_reasons(D(1980, 1, 1), ["高血压", "冠心病"], 2025, S) == ["高血压"]
    assert exam_reasons(D(1990, 1, 1), ["肺结核", "严重精神障碍"], 2025, S) == ["严重精神障碍", "肺结核"]
    assert exam_reasons(None, ["2型糖尿病"], 2025, S) == ["2型糖尿病"]


def test_one_exam_per_calendar_year() -> None:
    born = D(1950, 3, 1)
    assert exam_due(born, [], [D(2024, 12, 30)], 2025, S)
    assert not exam_due(born, [], [D(2024, 12, 30), D(2025, 1, 2)], 2025, S)
    assert not exam_due(D(1990, 1, 1), [], [], 2025, S)


def test_result_not_given_back_after_the_setting_days() -> None:
    e = exam()                                            # 2025-05-20
    assert not result_overdue(e, D(2025, 6, 3), S)          # day 14
    assert result_overdue(e, D(2025, 6, 4), S)              # day 15
    e.result_returned_on = D(2025, 5, 25)
    assert not result_overdue(e, D(2025, 7, 1), S)
    assert not result_overdue(exam(), D(2025, 6, 4), exam_settings({"exam_return_days": "30"}))


def test_exam_settings_are_checked() -> None:
    assert exam_settings({"exam_elderly_age": "60"}).elderly_age == 60
    with pytest.raises(ValidationError) as err:
        exam_settings({"exam_return_days": "0"})
    assert err.value.field == "exam_return_days"
