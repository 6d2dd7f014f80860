"""家庭医生签约服务协议书: two copies of the household's contract, clauses from a county template."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from app.core.errors import ValidationError
from app.core.identity import shown_record_no
from app.printing.fonts import resource_path
from app.printing.layout import (
    CONTENT_WIDTH,
    GroupEnd,
    GroupStart,
    Output,
    blank_date,
    build_batch,
    build_pdf,
    cn_date,
    data_table,
    field_grid,
    para,
    signature_block,
    styles,
    title_block,
)
from app.printing.models import ZERO, FeeLine, Member, Team

CN_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Clause:
    """A heading and its numbered items, with {team}/{resident} placeholders."""

    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class AgreementTemplate:
    """The county's wording of the contract; which party is 甲方 is a setting."""

    edition: str
    title: str
    first_party: str  # "team" or "resident"
    team_party_name: str
    resident_party_name: str
    intro: str
    clauses: tuple[Clause, ...]
    term: str
    consent: str
    copies: str
    copy_labels: tuple[str, str]
    fee_note_free: str

    def label(self, party: str) -> str:
        """甲方 or 乙方 for "team" or "resident"."""
        return "甲方" if party == self.first_party else "乙方"

    def fill(self, text: str, **extra: str) -> str:
        """The wording with the party labels (and any extra fields) put in."""
        return text.format(team=self.label("team"), resident=self.label("resident"), **extra)


def load_template(path: str | Path | None = None) -> AgreementTemplate:
    """Read a contract template (TOML); the bundled default when no path is given."""
    source = Path(path) if path else resource_path("templates", "agreement_default.toml")
    if source is None or not source.is_file():
        raise ValidationError(f"找不到协议书模板：{source or 'agreement_default.toml'}")
    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    if raw.get("first_party") not in ("team", "resident"):
        raise ValidationError("协议书模板的 first_party 只能是 team 或 resident。")
    labels = tuple(raw["copy_labels"])
    if len(labels) != 2:
        raise ValidationError("协议书模板的 copy_labels 必须有两项。")
    return AgreementTemplate(
        edition=raw["edition"], title=raw["title"], first_party=raw["first_party"],
        team_party_name=raw["team_party_name"], resident_party_name=raw["resident_party_name"],
        intro=raw["intro"],
        clauses=tuple(Clause(c["heading"], tuple(c["items"])) for c in raw["clauses"]),
        term=raw["term"], consent=raw["consent"], copies=raw["copies"],
        copy_labels=(labels[0], labels[1]), fee_note_free=raw["fee_note_free"])


@dataclass(frozen=True)
class AgreementData:
    """Everything printed on one household's contract."""

    contract_no: str
    household_no: str  # 户编号
    signer: str  # 签约人 (usually the head of household)
    address: str
    phone: str
    members: tuple[Member, ...]
    team: Team
    fees: tuple[FeeLine, ...]
    start: date
    end: date
    poverty_status: str = ""  # 建档立卡 / 低保 / 特困 / "" for none
    insurance: str = "城乡居民医保"
    signed_on: date | None = None
    template: AgreementTemplate | None = field(default=None, compare=False)


_default_template: AgreementTemplate | None = None


def _template(data: AgreementData) -> AgreementTemplate:
    global _default_template
    if data.template is not None:
        return data.template
    if _default_template is None:
        _default_template = load_template()
    return _default_template


def money(value: Decimal) -> str:
    """Yuan with two decimals; 0 shows as 0.00."""
    return f"{value.quantize(Decimal('0.01'))}"


def _members_table(members: Sequence[Member]) -> Flowable:
    widths = [16 * mm, 13 * mm, 10 * mm, 10 * mm, 37 * mm, 36 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    rows = [[m.name, m.relation, m.sex, "" if m.age is None else m.age, m.id_no,
             shown_record_no(m.record_no, m.record_provisional),
             "　".join(f"√{g}" for g in m.groups) or "普通居民"] for m in members]
    return data_table(["姓名", "关系", "性别", "年龄", "身份证号", "健康档案编号", "人群类型（√）"],
                      rows, widths, align="CCCCCCL")


def _team_table(team: Team) -> Flowable:
    widths = [28 * mm, 30 * mm, 40 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    rows = [[m.role, m.name, m.title, m.phone] for m in team.members]
    return data_table(["团队职责", "姓名", "职称/职务", "联系电话"], rows, widths, align="CCCC")


def _fee_table(fees: Sequence[FeeLine]) -> Flowable:
    money_w = 17 * mm
    widths = [26 * mm, 0.0, 20 * mm] + [money_w] * 5
    widths[1] = CONTENT_WIDTH - sum(widths)
    rows: list[list[object]] = [
        [f.package, f.content, f.covered, money(f.total), money(f.medicare),
         money(f.public_health), money(f.finance), money(f.personal)] for f in fees]
    totals = [sum((getattr(f, name) for f in fees), ZERO)
              for name in ("total", "medicare", "public_health", "finance", "personal")]
    rows.append(["合计", "", "", *(money(t) for t in totals)])
    return data_table(["服务包", "服务内容", "服务对象", "费用合计（元）", "医保基金", "基本公卫经费",
                       "财政补助", "个人支付"], rows, widths, align="LLCRRRRR", total_row=True)


def _copy(data: AgreementData, t: AgreementTemplate, copy_label: str) -> list[Flowable]:
    st = styles()
    team_label, resident_label = t.label("team"), t.label("resident")
    leader = data.team.first("团队长", "家庭医生")
    out: list[Flowable] = [
        GroupStart(f"{t.title}　协议书编号 {data.contract_no}　户编号 {data.household_no}　{copy_label}"),
        title_block(t.title, "协议书编号", data.contract_no, tag=copy_label,
                    lines=[f"协议书编号：{data.contract_no}", f"户编号：{data.household_no}　　{t.edition}"]),
        Spacer(1, 3 * mm),
    ]
    parties = {"team": f"{team_label}（{t.team_party_name}）：{data.team.name}"
                       + (f"（{data.team.institution}）" if data.team.institution else ""),
               "resident": f"{resident_label}（{t.resident_party_name}）：{data.signer} 及其家庭成员"}
    for party in (t.first_party, "resident" if t.first_party == "team" else "team"):
        out.append(para(parties[party], st.body))
    out.append(para(t.fill(t.intro), st.body))

    section = iter(CN_NUMBERS)
    out.append(para(f"{next(section)}、签约居民", st.heading))
    out.append(field_grid([("签约人", data.signer), ("联系电话", data.phone),
                           ("户编号", data.household_no), ("参保类型", data.insurance),
                           ("家庭住址", data.address)], columns=2, spans=("家庭住址",)))
    out.append(Spacer(1, 2 * mm))
    out.append(_members_table(data.members))

    out.append(para(f"{next(section)}、签约团队", st.heading))
    out.append(field_grid([("团队名称", data.team.name), ("团队编号", data.team.number),
                           ("指导单位", data.team.institution), ("服务电话", data.team.phone)],
                          columns=2))
    out.append(Spacer(1, 2 * mm))
    out.append(_team_table(data.team))

    out.append(CondPageBreak(45 * mm))
    out.append(para(f"{next(section)}、服务内容与费用", st.heading))
    out.append(_fee_table(data.fees))
    personal = sum((f.personal for f in data.fees), ZERO)
    if personal == ZERO and data.poverty_status:
        out.append(Spacer(1, 1.5 * mm))
        out.append(para(f"说明：本户为{data.poverty_status}户。{t.fee_note_free}", st.small))

    for clause in t.clauses:
        items = [para(t.fill(clause.heading), st.heading)]
        items += [para(f"（{i}）{t.fill(text)}", st.body) for i, text in enumerate(clause.items, 1)]
        heading = para(f"{next(section)}、{t.fill(clause.heading)}", st.heading)
        out.append(KeepTogether([heading, items[1]]))
        out.extend(items[2:])
    term = t.fill(t.term, start=cn_date(data.start), end=cn_date(data.end))
    out.append(para(f"{next(section)}、协议期限", st.heading))
    out.append(para(term, st.body))
    out.append(para(f"{next(section)}、信息使用授权", st.heading))
    out.append(para(t.fill(t.consent), st.body))
    out.append(para(f"{next(section)}、其他", st.heading))
    out.append(para(t.fill(t.copies), st.body))

    signed = cn_date(data.signed_on) if data.signed_on else blank_date()
    team_lines = ["家庭医生签字", f"团队长签字（{leader.name}）" if leader else "团队长签字",
                  f"日期：{signed}"]
    resident_lines = ["签约人签字（或按手印）", "代签人姓名及与签约人关系", f"日期：{signed}"]
    blocks = {"team": (f"{team_label}（盖章）：", team_lines),
              "resident": (f"{resident_label}：{data.signer}", resident_lines)}
    order = (t.first_party, "resident" if t.first_party == "team" else "team")
    out.append(Spacer(1, 4 * mm))
    out.append(KeepTogether([signature_block([blocks[p] for p in order])]))
    out.append(GroupEnd())
    return out


def agreement_flowables(data: AgreementData) -> list[Flowable]:
    """Both copies of one contract, each starting on a new page."""
    if not data.members:
        raise ValidationError("协议书至少要列出一名签约居民。", field="members")
    t = _template(data)
    first, second = t.copy_labels
    return [*_copy(data, t, first), PageBreak(), *_copy(data, t, second), PageBreak()]


def render_agreement(data: AgreementData, out: Output) -> Path | None:
    """One household's contract (two copies) as a PDF at out (a path or a binary file)."""
    return build_pdf(iter([agreement_flowables(data)]), out, title=_template(data).title)


def render_agreements(items: Iterable[AgreementData], out: Output,
                      progress: Callable[[int, int], None] | None = None,
                      cancel: Callable[[], bool] | None = None, *,
                      total: int | None = None) -> Path | None:
    """Many contracts into one PDF, laid out one at a time so memory stays flat.

    `items` may be a generator; give `total` then, for the progress callback.
    """
    it = iter(items)
    first = next(it, None)
    if first is None:
        raise ValidationError("没有要打印的协议书。")
    if total is None and isinstance(items, Sized):
        total = len(items)
    return build_batch(itertools.chain([first], it), agreement_flowables, out,
                       title=_template(first).title, progress=progress, cancel=cancel, total=total)
