"""Residents (居民): the personal basic information of the health file, and their code lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.core.errors import ValidationError
from app.core.identity import ResidentId, id_conflicts, parse_resident_id
from app.core.ids import RecordId
from app.core.limits import check_name, check_text
from app.core.relations import RELATIONS, relation_name
from app.core.text import clean, compact

SEXES: dict[str, str] = {"1": "男", "2": "女"}
ETHNICITIES: tuple[str, ...] = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
    "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
    "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族",
    "基诺族",
)
EDUCATION: tuple[str, ...] = (
    "研究生", "大学本科", "大学专科和专科学校", "中等专业学校", "技工学校", "高中", "初中",
    "小学", "文盲或半文盲", "学龄前儿童", "不详",
)
_EDUCATION_SYNONYMS: dict[str, str] = {
    "本科": "大学本科", "大专": "大学专科和专科学校", "专科": "大学专科和专科学校",
    "中专": "中等专业学校", "技校": "技工学校", "职高": "中等专业学校", "高中及以上": "高中",
    "文盲": "文盲或半文盲", "半文盲": "文盲或半文盲", "文盲或半文盲(不识字)": "文盲或半文盲",
    "学龄前": "学龄前儿童", "学前": "学龄前儿童", "在校生": "不详",
}
OCCUPATIONS: tuple[str, ...] = (
    "国家机关、党群组织、企业、事业单位负责人", "专业技术人员", "办事人员和有关人员",
    "商业、服务业人员", "农、林、牧、渔、水利业生产人员", "生产、运输设备操作人员及有关人员",
    "军人", "不便分类的其他从业人员", "无职业",
)
MARITAL: tuple[str, ...] = ("未婚", "已婚", "丧偶", "离婚", "未说明的婚姻状况")
INSURANCE_TYPES: tuple[str, ...] = (
    "城乡居民基本医疗保险", "城镇职工基本医疗保险", "商业医疗保险", "全公费", "全自费", "其他", "未参保",
)
ASSISTANCE: tuple[str, ...] = ("低保", "特困", "残疾", "计生特殊家庭", "70岁以上需照料")
DISABILITIES: tuple[str, ...] = (
    "视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "其他残疾",
)
DISABILITY_GRADES: tuple[str, ...] = ("一级", "二级", "三级", "四级")
BLOOD_TYPES: tuple[str, ...] = ("A型", "B型", "O型", "AB型", "不详")
LIVING_STATUSES: tuple[str, ...] = ("在册", "迁出", "死亡", "失访")
HEALTH_STATES: tuple[str, ...] = ("健康", "长期慢性病", "患有大病", "残疾")
ID_TYPES: dict[str, str] = {
    "resident": "居民身份证", "birth_cert": "出生医学证明", "hukou": "户口簿", "other": "其他证件",
}

# Conditions kept on a person's file; the first four have national management programmes.
CONDITIONS: tuple[str, ...] = (
    "高血压", "2型糖尿病", "严重精神障碍", "肺结核", "冠心病", "脑卒中", "慢性阻塞性肺疾病",
    "恶性肿瘤", "慢性肾病", "其他慢性病", "大病",
)
TREATMENT_CLASSES: tuple[str, ...] = ("大病集中救治", "慢病签约服务管理", "重病兜底保障")


def education_name(raw: object) -> str:
    text = compact(raw)
    if not text:
        return ""
    if text in EDUCATION:
        return text
    if text in _EDUCATION_SYNONYMS:
        return _EDUCATION_SYNONYMS[text]
    raise ValidationError(f"不认识的文化程度“{clean(raw)}”", field="education")


def sex_code(raw: object) -> str:
    """'1' or '2' from 男/女/1/2/M/F; '' when empty."""
    text = compact(raw).upper()
    if text in ("", "0", "9", "未知"):
        return ""
    if text in ("1", "男", "M", "男性"):
        return "1"
    if text in ("2", "女", "F", "女性"):
        return "2"
    raise ValidationError(f"不认识的性别“{clean(raw)}”", field="sex")


def ethnicity_name(raw: object) -> str:
    text = compact(raw)
    if not text:
        return ""
    if text in ETHNICITIES:
        return text
    if text + "族" in ETHNICITIES:
        return text + "族"
    if text == "汉":
        return "汉族"
    raise ValidationError(f"不认识的民族“{clean(raw)}”", field="ethnicity")


@dataclass
class Person:
    """A resident's personal basic information (个人基本信息表 essentials + 健康扶贫 fields)."""

    id: RecordId | None
    household_id: RecordId | None
    name: str
    sex: str = ""
    birth_date: dt.date | None = None
    id_type: str = "resident"
    id_no: str = ""
    record_no: str = ""              # 17-digit 健康档案编号, allocated on first save when empty
    person_no: str = ""              # 人编号 from the national poverty-alleviation system
    relation: str = "其他"
    phone: str = ""
    ethnicity: str = "汉族"
    education: str = ""
    occupation: str = ""
    marital: str = ""
    insurance_type: str = ""
    insurance_no: str = ""
    assistance: list[str] = field(default_factory=list)
    disabilities: list[str] = field(default_factory=list)
    disability_grade: str = ""
    caretaker: str = ""
    blood_type: str = ""
    allergies: str = ""
    past_history: str = ""
    family_history: str = ""
    health_state: str = ""
    labour_skill: str = ""
    living_status: str = "在册"
    status_date: dt.date | None = None
    status_note: str = ""
    note: str = ""
    # The number's bookkeeping (DOMAIN rule 2), written by the storage, never typed: the instance
    # that issued it, whether the county has yet to confirm that instance's station, and the
    # numbers the person had before a renumbering (still found by search and by a QR code).
    record_issuer: str = ""
    record_provisional: bool = False
    former_record_nos: list[str] = field(default_factory=list)


_PERSON_TEXTS: tuple[tuple[str, str, str], ...] = (
    ("id_no", "证件号码", "short"), ("record_no", "健康档案编号", "short"), ("person_no", "人编号", "short"),
    ("phone", "联系电话", "short"), ("occupation", "职业", "short"), ("insurance_no", "医保号", "short"),
    ("caretaker", "监护人", "name"), ("blood_type", "血型", "short"), ("allergies", "过敏史", "line"),
    ("past_history", "既往史", "note"), ("family_history", "家族史", "note"),
    ("health_state", "健康状况", "short"), ("labour_skill", "劳动技能", "short"),
    ("status_note", "状态说明", "line"), ("note", "备注", "note"),
)


def _check_texts(p: Person) -> None:
    for name, what, kind in _PERSON_TEXTS:
        setattr(p, name, check_text(getattr(p, name), what, kind, field=name))


@dataclass(frozen=True)
class PersonCheck:
    """The outcome of checking a person: the tidied record and warnings that do not block saving."""

    person: Person
    warnings: list[str]
    resident_id: ResidentId | None


def check_person(p: Person, *, today: dt.date | None = None) -> PersonCheck:
    """Validate a person. Errors raise; sex and birth date are filled from the ID when empty.

    A typed sex or birth date that disagrees with the ID is kept but flagged as a warning: the
    doctor decides which one is wrong (DOMAIN rule 1).
    """
    today = today or dt.date.today()
    p.name = check_name(p.name, field="name")
    if not p.name:
        raise ValidationError("姓名不能为空", field="name")
    _check_texts(p)
    if p.relation not in RELATIONS:
        p.relation = relation_name(p.relation)
    if p.id_type not in ID_TYPES:
        raise ValidationError("不认识的证件类型", field="id_type")
    warnings: list[str] = []
    rid: ResidentId | None = None
    p.id_no = compact(p.id_no).upper()
    if p.id_type == "resident" and p.id_no:
        rid = parse_resident_id(p.id_no, today=today)
        warnings.extend(id_conflicts(rid, sex=p.sex or None, birth_date=p.birth_date))
        if rid.converted_from_15:
            warnings.append(f"15位旧身份证号已转换为18位：{rid.number}")
        p.id_no = rid.number
        p.sex = p.sex or rid.sex
        p.birth_date = p.birth_date or rid.birth_date
    if p.sex and p.sex not in SEXES:
        raise ValidationError("性别只能是男或女", field="sex")
    if p.birth_date is not None and p.birth_date > today:
        raise ValidationError("出生日期不能在今天之后", field="birth_date")
    phone = compact(p.phone)
    if phone and not phone.replace("-", "").isdigit():
        raise ValidationError("联系电话只能包含数字和“-”", field="phone")
    p.phone = phone
    if p.living_status not in LIVING_STATUSES:
        raise ValidationError("不认识的人员状态", field="living_status")
    if p.living_status in ("迁出", "死亡") and p.status_date is None:
        raise ValidationError(f"标记为{p.living_status}时必须填写日期", field="status_date")
    if p.status_date is not None and p.status_date > today:
        raise ValidationError("状态日期不能在今天之后", field="status_date")
    if p.status_date is not None and p.birth_date is not None and p.status_date < p.birth_date:
        raise ValidationError("状态日期不能早于出生日期", field="status_date")
    for item in p.assistance:
        if item not in ASSISTANCE:
            raise ValidationError(f"不认识的救助类别“{item}”", field="assistance")
    for item in p.disabilities:
        if item not in DISABILITIES:
            raise ValidationError(f"不认识的残疾类别“{item}”", field="disabilities")
    return PersonCheck(person=p, warnings=warnings, resident_id=rid)


@dataclass
class Diagnosis:
    """A condition on a person's file (label used by follow-ups, indicators and settlement)."""

    id: RecordId | None
    person_id: RecordId
    condition: str
    confirmed_on: dt.date | None = None
    hospital: str = ""
    treatment_class: str = ""
    note: str = ""


def check_diagnosis(d: Diagnosis, *, today: dt.date | None = None) -> Diagnosis:
    """Check a diagnosis: a known condition and treatment class, a date not in the future, text in limits."""
    today = today or dt.date.today()
    d.hospital = check_text(d.hospital, "确诊医院", "line", field="hospital")
    d.note = check_text(d.note, "备注", "note", field="note")
    if d.condition not in CONDITIONS:
        raise ValidationError(f"不认识的病种“{d.condition}”", field="condition")
    if d.treatment_class and d.treatment_class not in TREATMENT_CLASSES:
        raise ValidationError(f"不认识的救治分类“{d.treatment_class}”", field="treatment_class")
    if d.confirmed_on is not None and d.confirmed_on > today:
        raise ValidationError("确诊日期不能在今天之后", field="confirmed_on")
    return d
