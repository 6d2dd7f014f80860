"""Follow-up classification and schedule (DOMAIN rule 3): every threshold on both sides."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.errors import ValidationError
from app.core.followup_rules import (
    FollowUpSettings,
    apply_suggestion,
    followup_settings,
    routine_next,
    settings_values,
    suggest,
)
from app.core.followups import (
    MEASURES,
    SYMPTOMS,
    Drug,
    FollowUp,
    Referral,
    form_code,
    validate_followup,
)

S = FollowUpSettings()
D = dt.date


MARCH_10 = D(2025, 3, 10)


def htn(day: dt.date = MARCH_10, sbp: int | None = 130, dbp: int | None = 80, **kw: object) -> FollowUp:
    return FollowUp(id=None, person_id="p1", kind="高血压", visit_date=day, sbp=sbp, dbp=dbp, **kw)  # type: ignore[arg-type]


def dm(day: dt.date = MARCH_10, glucose: float | None = 6.0, **kw: object) -> FollowUp:
    return FollowUp(id=None, person_id="p1", kind="糖尿病", visit_date=day, glucose=glucose,
                    sbp=128, dbp=78, **kw)  # type: ignore[arg-type]


def confirmed(v: FollowUp, history: list[FollowUp] | None = None) -> FollowUp:
    return apply_suggestion(v, suggest(v, history or [], S))


# --- uncontrolled thresholds -------------------------------------------------------------------


@pytest.mark.parametrize(("sbp", "dbp", "cls"), [
    (139, 89, "控制满意"), (140, 80, "控制不满意"), (130, 89, "控制满意"), (130, 90, "控制不满意"),
])
def test_blood_pressure_thresholds_140_over_90(sbp: int, dbp: int, cls: str) -> None:
    assert suggest(htn(sbp=sbp, dbp=dbp), [], S).classification == cls


@pytest.mark.parametrize(("glucose", "cls"), [(6.9, "控制满意"), (7.0, "控制不满意")])
def test_fasting_glucose_threshold_7(glucose: float, cls: str) -> None:
    assert suggest(dm(glucose=glucose), [], S).classification == cls


def test_first_uncontrolled_visit_is_rechecked_in_two_weeks() -> None:
    s = suggest(htn(sbp=152, dbp=96), [], S)
    assert s.classification == "控制不满意"
    assert s.measure == "第1次控制不满意2周随访"
    assert s.next_date == D(2025, 3, 24)
    assert not s.referral and not s.urgent
    assert any("152/96" in r for r in s.reasons)


def test_adverse_reaction_is_rechecked_in_two_weeks() -> None:
    s = suggest(htn(adverse_reaction=True, adverse_text="干咳"), [], S)
    assert (s.classification, s.measure, s.next_date) == ("不良反应", "第1次控制不满意2周随访", D(2025, 3, 24))


def test_second_uncontrolled_visit_suggests_referral() -> None:
    first = confirmed(htn(D(2025, 3, 10), 150, 95))
    second = htn(D(2025, 3, 24), 148, 92)
    s = suggest(second, [first], S)
    assert s.measure == "两次控制不满意转诊随访" and s.referral and not s.urgent
    assert s.next_date == D(2025, 4, 7)
    assert any("连续两次" in r for r in s.reasons)


def test_a_controlled_visit_in_between_breaks_the_run() -> None:
    first = confirmed(htn(D(2025, 1, 10), 150, 95))
    between = confirmed(htn(D(2025, 1, 24), 132, 82))
    third = htn(D(2025, 4, 20), 150, 95)
    s = suggest(third, [first, between], S)
    assert s.measure == "第1次控制不满意2周随访" and not s.referral


def test_the_doctors_class_of_the_previous_visit_decides_the_run() -> None:
    first = apply_suggestion(htn(D(2025, 1, 10), 150, 95, classification="控制满意"),
                             suggest(htn(D(2025, 1, 10), 150, 95), [], S))
    s = suggest(htn(D(2025, 1, 24), 150, 95), [first], S)
    assert not s.referral


def test_uncontrolled_in_december_then_january_is_two_in_a_row() -> None:
    december = confirmed(htn(D(2024, 12, 20), 150, 95))
    s = suggest(htn(D(2025, 1, 3), 145, 85), [december], S)
    assert s.referral and s.next_date == D(2025, 1, 17)


def test_new_or_worse_complication_suggests_referral() -> None:
    s = suggest(htn(complication=True), [], S)
    assert (s.classification, s.measure, s.referral) == ("并发症", "两次控制不满意转诊随访", True)
    assert s.next_date == D(2025, 3, 24)


def test_diabetes_is_judged_by_glucose_not_blood_pressure() -> None:
    v = dm(glucose=6.0)
    v.sbp, v.dbp = 150, 95
    assert suggest(v, [], S).classification == "控制满意"


# --- danger signs ------------------------------------------------------------------------------


@pytest.mark.parametrize(("sbp", "dbp", "urgent"), [
    (179, 109, False), (180, 100, True), (170, 109, False), (170, 110, True),
])
def test_danger_blood_pressure_180_over_110(sbp: int, dbp: int, urgent: bool) -> None:
    for v in (htn(sbp=sbp, dbp=dbp), dm(glucose=6.0)):
        v.sbp, v.dbp = sbp, dbp
        s = suggest(v, [], S)
        assert s.urgent is urgent
        assert (s.measure == "紧急转诊") is urgent


@pytest.mark.parametrize(("glucose", "urgent"), [(16.6, False), (16.7, True), (4.0, False), (3.9, True)])
def test_danger_glucose_16_7_and_3_9(glucose: float, urgent: bool) -> None:
    s = suggest(dm(glucose=glucose), [], S)
    assert s.urgent is urgent
    if urgent:
        assert s.referral and s.next_date == D(2025, 3, 24)


def test_hypoglycaemia_below_3_9_is_urgent_though_not_uncontrolled() -> None:
    s = suggest(dm(glucose=3.5), [], S)
    assert s.urgent and s.classification == "控制满意" and s.measure == "紧急转诊"


def test_ticked_danger_sign_is_urgent() -> None:
    s = suggest(htn(danger_signs=["意识改变"]), [], S)
    assert s.urgent and any("意识改变" in r for r in s.reasons)


@pytest.mark.parametrize(("rate", "temp", "urgent"), [(100, 39.0, False), (101, None, True), (None, 39.1, True)])
def test_diabetes_heart_rate_and_temperature(rate: int | None, temp: float | None, urgent: bool) -> None:
    assert suggest(dm(heart_rate=rate, temperature=temp), [], S).urgent is urgent


def test_heart_rate_is_not_a_danger_sign_for_hypertension() -> None:
    assert not suggest(htn(heart_rate=120), [], S).urgent


# --- schedule ----------------------------------------------------------------------------------


def test_controlled_visit_early_in_the_year_is_due_in_three_months() -> None:
    s = suggest(htn(D(2025, 1, 5)), [], S)
    assert s.measure == "常规随访" and s.next_date == D(2025, 4, 5)


def test_next_date_leaves_room_for_the_missing_visits_before_year_end() -> None:
    # Oct 1 is the first face-to-face visit of the year: 3 more needed in 91 days -> every 30 days.
    s = suggest(htn(D(2025, 10, 1)), [], S)
    assert s.face_to_face == 1
    assert s.next_date == D(2025, 10, 31)


def test_phone_visit_does_not_count_toward_four() -> None:
    earlier = [confirmed(htn(D(2025, m, 10))) for m in (1, 4)]
    phone = htn(D(2025, 7, 10), method="电话")
    s = suggest(phone, earlier, S)
    assert s.face_to_face == 2
    # 2 missing in 174 days: 87-day gap, within 90
    assert s.next_date == D(2025, 7, 10) + dt.timedelta(days=87)
    assert "电话随访不计入每年面对面随访次数" in s.reasons
    face = suggest(htn(D(2025, 7, 10), method="家庭"), earlier, S)
    assert face.face_to_face == 3


def test_when_four_are_done_the_next_visit_may_fall_next_year() -> None:
    earlier = [confirmed(htn(D(2025, m, 10))) for m in (2, 5, 8)]
    s = suggest(htn(D(2025, 11, 10)), earlier, S)
    assert s.face_to_face == 4 and s.next_date == D(2026, 2, 8)


def test_next_date_near_year_end_is_squeezed_below_two_weeks_only_when_needed() -> None:
    earlier = [confirmed(htn(D(2025, m, 10))) for m in (3, 7)]
    s = suggest(htn(D(2025, 12, 20)), earlier, S)    # third visit, one more needed, 11 days left
    assert s.next_date == D(2025, 12, 31)
    later = suggest(htn(D(2025, 12, 31)), earlier, S)  # no day left: routine interval
    assert later.next_date == D(2026, 3, 31)


def test_visits_of_last_year_do_not_count_this_year() -> None:
    last_year = [confirmed(htn(D(2024, m, 10))) for m in (3, 6, 9, 12)]
    s = suggest(htn(D(2025, 1, 8)), last_year, S)
    assert s.face_to_face == 1 and s.next_date == D(2025, 4, 8)


def test_routine_next_never_before_two_weeks_unless_needed() -> None:
    assert routine_next(D(2025, 6, 1), 3, S)[0] == D(2025, 8, 30)
    assert routine_next(D(2025, 12, 1), 3, S)[0] == D(2025, 12, 31)
    assert routine_next(D(2025, 12, 1), 0, S)[0] == D(2025, 12, 8)


def test_elderly_threshold_is_an_optional_setting() -> None:
    v = htn(sbp=145, dbp=85)
    assert suggest(v, [], S, age=70).classification == "控制不满意"
    elderly = FollowUpSettings(elderly_age=65)
    assert suggest(v, [], elderly, age=70).classification == "控制满意"
    assert suggest(v, [], elderly, age=60).classification == "控制不满意"


def test_thresholds_come_from_settings_text() -> None:
    s = followup_settings({"followup_sbp_uncontrolled": "130", "followup_recheck_days": "10"})
    assert s.sbp_uncontrolled == 130 and s.recheck_days == 10 and s.dbp_uncontrolled == 90
    v = suggest(htn(sbp=132, dbp=80), [], s)
    assert v.classification == "控制不满意" and v.next_date == D(2025, 3, 20)
    assert followup_settings(settings_values(s)) == s


def test_bad_settings_are_refused_naming_the_key() -> None:
    with pytest.raises(ValidationError) as err:
        followup_settings({"followup_sbp_uncontrolled": "高"})
    assert err.value.field == "followup_sbp_uncontrolled"
    with pytest.raises(ValidationError, match="危急血压"):
        followup_settings({"followup_sbp_danger": "120"})


# --- override and stored suggestion ------------------------------------------------------------


def test_doctor_override_keeps_the_suggestion() -> None:
    v = htn(sbp=152, dbp=96, classification="控制满意", next_date=D(2025, 6, 1))
    apply_suggestion(v, suggest(v, [], S))
    assert v.suggested_class == "控制不满意" and v.classification == "控制满意"
    assert v.suggested_next == D(2025, 3, 24) and v.next_date == D(2025, 6, 1)
    assert v.overridden == ["classification", "next_date"]


# --- validation --------------------------------------------------------------------------------


TODAY = D(2025, 6, 1)


@pytest.mark.parametrize(("change", "field"), [
    ({"sbp": 301}, "sbp"), ({"dbp": 29}, "dbp"), ({"sbp": 80, "dbp": 90}, "sbp"),
    ({"sbp": None}, "sbp"), ({"method": "微信"}, "method"), ({"symptoms": ["多饮"]}, "symptoms"),
    ({"symptoms": ["无症状", "头痛头晕"]}, "symptoms"), ({"weight": 400.0}, "weight"),
    ({"glucose": 7.0}, "glucose"), ({"staple_food": 300}, "staple_food"),
    ({"salt": "很重"}, "salt"), ({"adherence": "偶尔"}, "adherence"),
    ({"adverse_reaction": True}, "adverse_text"), ({"next_date": D(2025, 3, 10)}, "next_date"),
    ({"visit_date": D(2025, 6, 2)}, "visit_date"), ({"classification": "很好"}, "classification"),
    ({"medications": [Drug("", 1, 5)]}, "medications"),
    ({"medications": [Drug("胰岛素", 1, 10, "U", insulin=True)]}, "medications"),
    ({"referral": Referral("血压控制不佳", "")}, "referral"),
    ({"danger_signs": ["腹痛"]}, "danger_signs"),
])
def test_bad_input_names_the_field(change: dict[str, object], field: str) -> None:
    v = htn()
    for k, value in change.items():
        setattr(v, k, value)
    with pytest.raises(ValidationError) as err:
        validate_followup(v, today=TODAY)
    assert err.value.field == field
    assert err.value.message and not err.value.message.isascii()


def test_diabetes_form_fields_are_checked() -> None:
    v = dm(foot_pulse="减弱")
    with pytest.raises(ValidationError) as err:
        validate_followup(v, today=TODAY)
    assert err.value.field == "foot_pulse_side"
    v.foot_pulse_side = "左侧"
    v.medications = [Drug("二甲双胍", 3, 500), Drug("门冬胰岛素", 3, 8, "U", insulin=True, usage="餐前皮下注射")]
    v.hypoglycemia = "偶尔"
    assert validate_followup(v, today=TODAY) is v
    with pytest.raises(ValidationError):
        validate_followup(dm(salt="中"), today=TODAY)


def test_bmi_from_weight_and_height_and_codes_as_printed() -> None:
    v = htn(weight=70.0, weight_target=65.0, height=165.0)
    assert v.bmi == 25.7 and v.bmi_target == 23.9
    assert form_code(SYMPTOMS["高血压"], "鼻衄出血不止") == 7
    assert form_code(MEASURES, "紧急转诊") == 4
