"""Configuration items as the county publishes them: read from a file, checked, and read back.

A county administrator publishes the files a clinic already reads: a service-package list (the
TOML of 设置 › 服务包, or its JSON: one package object, a list of them, or `{"package": [...]}`),
a policy pack (its TOML), or rule settings (a flat table of the clinic's setting names, such as
`followup_sbp_uncontrolled = 150`, or one table per area, `[followup] sbp_uncontrolled = 150`).
Each package, each pack and each setting becomes one item, checked by the loaders the clinic
uses (app.storage.packages, app.core.policy, the settings' own checks), so a file the clinic would
refuse is refused before it is published, with the same one-line message.

No database here: the county's command line and the clinic's repository (county_config.py) share it.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.claims import tolerance_from
from app.core.contracts import ServicePackage
from app.core.errors import ValidationError
from app.core.exams import SETTINGS_PREFIX as EXAM_PREFIX
from app.core.exams import ExamSettings, exam_settings
from app.core.followup_rules import SETTINGS_PREFIX as FOLLOWUP_PREFIX
from app.core.followup_rules import FollowUpSettings, followup_settings
from app.core.policy import PolicyPack, parse_pack
from app.core.policy_reader import nearest, toml_error
from app.core.settings import setting_keys
from app.core.tasks import SETTINGS_PREFIX as TASKS_PREFIX
from app.core.tasks import TaskSettings, task_settings
from app.storage.claims import TOLERANCE_SETTING
from app.storage.contracts import REMIND_SETTING, UNSERVED_SETTING
from app.storage.packages import package_from_dict, package_to_dict, parse_packages
from app.storage.policies import POLICY_COUNTY_SETTING

KIND_WORDS = {"service_package": "服务包", "policy_pack": "政策包", "setting": "设置"}
MAX_KEY = 128                    # characters of an item's key (the protocol's limit)

# The settings a county may set for its clinics: the rules' thresholds and a few clinic-wide rules.
# Paths, names and the sync's own bookkeeping stay the clinic's.
SETTING_KEYS: tuple[str, ...] = (
    *setting_keys(FollowUpSettings, FOLLOWUP_PREFIX),
    *setting_keys(ExamSettings, EXAM_PREFIX),
    *setting_keys(TaskSettings, TASKS_PREFIX),
    REMIND_SETTING, UNSERVED_SETTING, TOLERANCE_SETTING, POLICY_COUNTY_SETTING,
)


@dataclass(frozen=True)
class Entry:
    """One item to publish: its kind, its key and its body (a JSON object)."""

    kind: str
    key: str
    body: dict[str, Any]

    @property
    def text(self) -> str:
        return body_text(self.body)


def body_text(body: Mapping[str, Any]) -> str:
    """An item's body as the canonical JSON text that is stored, signed and sent."""
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --- reading a file ---------------------------------------------------------------------------


def read_config_file(path: Path) -> list[Entry]:
    """The items of a TOML or JSON file; a ValidationError (one line, naming the file) if the
    clinic would refuse it."""
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise ValidationError(f"{path.name}：配置文件应为 .toml 或 .json 文件")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"无法读取配置文件 {path}：{exc.strerror}") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path.name} 不是UTF-8编码的文本文件，请另存为UTF-8") from None
    if suffix == ".json":
        return read_json(text, source=path.name)
    return read_toml(text, source=path.name)


def read_toml(text: str, *, source: str) -> list[Entry]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(toml_error(source, exc, text)) from None
    if "package" in data:
        return [package_entry(p) for p in parse_packages(text, source=source)]
    if "pack" in data or "layer" in data:
        return [pack_entry(text, source=source)]
    return setting_entries(data, source=source)


def read_json(text: str, *, source: str) -> list[Entry]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValidationError(f"{source} 不是有效的JSON文件：{exc}") from None
    if isinstance(data, Mapping) and "package" in data:
        data = data["package"]
    if isinstance(data, Mapping) and "services" in data:
        data = [data]
    if isinstance(data, list):
        if not data:
            raise ValidationError(f"{source} 中没有服务包")
        entries: list[Entry] = []
        for raw in data:
            if not isinstance(raw, Mapping):
                raise ValidationError(f"{source}：每个服务包应是一个JSON对象")
            entry = package_entry(package_from_dict(raw, where=f"{source}："))
            if any(e.key == entry.key for e in entries):
                raise ValidationError(f"{source}：服务包代码“{entry.key}”重复", field="code")
            entries.append(entry)
        return entries
    if isinstance(data, Mapping) and ("pack" in data or "layer" in data):
        raise ValidationError(f"{source}：报销政策包请用TOML文件发布（与卫生室读取的格式相同）")
    if not isinstance(data, Mapping):
        raise ValidationError(f"{source}：应为服务包、政策包或设置项的JSON对象")
    return setting_entries(data, source=source)


def package_entry(p: ServicePackage) -> Entry:
    return Entry("service_package", p.code, {"package": package_to_dict(p)})


def pack_entry(text: str, *, source: str) -> Entry:
    pack = parse_pack(text, source=source)
    return Entry("policy_pack", pack_key(pack), {"toml": text})


def pack_key(pack: PolicyPack) -> str:
    """A pack's key: its county and first day (a newer pack for them replaces it)."""
    return f"{pack.county}/{pack.valid_from.isoformat()}"


def setting_entries(data: Mapping[str, Any], *, source: str) -> list[Entry]:
    """One item per setting of a flat table (or of one table per area), all checked together."""
    values: dict[str, str] = {}
    for name, raw in data.items():
        if isinstance(raw, Mapping):
            for sub, value in raw.items():
                values[f"{name}_{sub}"] = setting_text(f"{name}_{sub}", value, source=source)
        else:
            values[name] = setting_text(name, raw, source=source)
    if not values:
        raise ValidationError(f"{source} 中没有服务包（[[package]]）、政策包（[pack]）或设置项")
    check_settings(values, where=f"{source}：")
    return [Entry("setting", key, {"value": value}) for key, value in values.items()]


def setting_text(key: str, value: object, *, source: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError(f"{source}：设置项 {key} 的值应为数字或文字", field=key)
    return value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)


# --- checking ---------------------------------------------------------------------------------


def check_settings(values: Mapping[str, str], *, where: str = "") -> None:
    """Refuse an unknown setting or values the rules would refuse (the other settings at their
    defaults, or as given in `values`)."""
    for key in values:
        if key not in SETTING_KEYS:
            near = nearest(key, SETTING_KEYS)
            hint = f"（是否应为 {near}？）" if near else ""
            raise ValidationError(f"{where}不认识的设置项 {key}{hint}", field=key)
    try:
        followup_settings(values)
        exam_settings(values)
        task_settings(values)
        for key in (REMIND_SETTING, UNSERVED_SETTING):
            if key in values and not values[key].strip().isdigit():
                raise ValidationError(f"设置项 {key} 应为天数（整数），现在是“{values[key]}”", field=key)
        tolerance_from(values.get(TOLERANCE_SETTING, ""))
        if POLICY_COUNTY_SETTING in values and not values[POLICY_COUNTY_SETTING].strip():
            raise ValidationError(f"设置项 {POLICY_COUNTY_SETTING} 不能为空", field=POLICY_COUNTY_SETTING)
    except ValidationError as exc:
        if not where:
            raise
        raise ValidationError(f"{where}{exc}", field=exc.field) from None


def check_body(kind: str, key: str, body_json: str) -> dict[str, Any]:
    """An item's body as a JSON object, checked as when it was published (a clinic checks again
    before applying; a body it cannot use is refused with the reason)."""
    where = f"县里下发的{KIND_WORDS.get(kind, '配置')}“{key}”"
    try:
        body = json.loads(body_json)
    except ValueError:
        raise ValidationError(f"{where}无法读取") from None
    if not isinstance(body, dict):
        raise ValidationError(f"{where}无法读取")
    if kind == "service_package":
        p = package_from_dict(body.get("package") or {}, where=f"{where}：")
        if p.code != key:
            raise ValidationError(f"{where}的代码与内容不符")
    elif kind == "policy_pack":
        pack = parse_pack(str(body.get("toml", "")), source=where)
        if pack_key(pack) != key:
            raise ValidationError(f"{where}的县和起始日期与内容不符")
    elif kind == "setting":
        # one setting alone may be incoherent with the defaults (a longer recheck and a longer
        # routine interval arrive as two items): the clinic checks them together once applied
        if key not in SETTING_KEYS or not isinstance(body.get("value"), str):
            raise ValidationError(f"{where}不是本程序认识的设置项")
    else:
        raise ValidationError(f"不认识的配置类别 {kind}")
    return body
