"""健康扶贫明白卡: the household's doctor, team phone, contract term, policies that apply, next visits."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table, TableStyle

from app.core.errors import ValidationError
from app.core.identity import shown_record_no
from app.printing.fonts import register_font, resource_path
from app.printing.layout import (
    BLACK,
    CONTENT_WIDTH,
    GroupEnd,
    GroupStart,
    Output,
    build_pdf,
    cn_date,
    data_table,
    field_grid,
    para,
    styles,
    title_block,
)
from app.printing.models import DueService, Team, TeamMember

TITLE = "健康扶贫明白卡"


@dataclass(frozen=True)
class Policy:
    """One line of the policy table: what it is and what the household gets."""

    item: str
    text: str


@dataclass(frozen=True)
class PolicyBook:
    """Policy lines per poverty status, and whether the wording is only an example."""

    by_status: dict[str, tuple[Policy, ...]]
    example: bool
    example_note: str

    def for_status(self, status: str, *fallbacks: str) -> tuple[Policy, ...]:
        """The lines for a status (or the first fallback key the file has); else the general lines."""
        for key in (status, *fallbacks):
            if self.by_status.get(key):
                return self.by_status[key]
        return self.by_status.get("一般", ())


def load_policies(path: str | Path | None = None) -> PolicyBook:
    """Read the card's policy lines (TOML); the bundled example when no path is given."""
    source = Path(path) if path else resource_path("templates", "card_policies.toml")
    if source is None or not source.is_file():
        raise ValidationError(f"找不到明白卡政策文件：{source or 'card_policies.toml'}")
    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    book = {status: tuple(Policy(p["item"], p["text"]) for p in lines)
            for status, lines in raw.get("status", {}).items()}
    return PolicyBook(book, bool(raw.get("example", False)), raw.get("example_note", ""))


@dataclass(frozen=True)
class CardData:
    """Everything printed on one household's card."""

    household_no: str
    head: str
    address: str
    poverty_status: str  # key into the policy file: 建档立卡 / 低保 / 特困 / 一般
    doctor: TeamMember
    team: Team
    start: date | None
    end: date | None
    due: tuple[DueService, ...] = ()
    members: tuple[str, ...] = ()
    policies: PolicyBook | None = None
    # Each 在册 member with the names of the packages they signed (empty: not signed).
    signed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    household_type: str = ""  # printed 户类型: the status in force, e.g. 脱贫户
    policy_keys: tuple[str, ...] = ()  # policy file keys, most specific first (else poverty_status)
    head_record_no: str = ""  # the head's 档案号: the card's number when the household has no 户编号
    head_record_provisional: bool = False  # that 档案号 awaits the county's confirmation: （临）

    @property
    def key(self) -> tuple[str, str]:
        """What the card is filed and scanned by: the 户编号 (poor households have one from the
        county's list), else the head's 17-digit health-record number."""
        if self.household_no or not self.head_record_no:
            return "户编号", self.household_no
        return "户主档案号", self.head_record_no

    @property
    def shown_key(self) -> str:
        """The key as printed: a provisional head's 档案号 carries the （临） mark."""
        label, key = self.key
        return shown_record_no(key, label == "户主档案号" and self.head_record_provisional)


def _doctor_box(data: CardData) -> Flowable:
    st = styles()
    font = register_font()
    big = st.body.clone("big", fontSize=15, leading=20)
    rows = [[para("我的家庭医生", st.body), para(f"{data.doctor.name}　{data.doctor.phone}", big)],
            [para("团队服务电话", st.body), para(data.team.phone or "—", big)]]
    table = Table(rows, colWidths=[32 * mm, CONTENT_WIDTH - 32 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("BOX", (0, 0), (-1, -1), 1.5, BLACK),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, BLACK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def card_flowables(data: CardData) -> list[Flowable]:
    """One household's card on one A4 page."""
    st = styles()
    book = data.policies or load_policies()
    term = (f"{cn_date(data.start)} 至 {cn_date(data.end)}" if data.start and data.end
            else "尚未签约")
    key_label, key = data.key
    out: list[Flowable] = [
        GroupStart(f"{TITLE}　{key_label} {key}　户主 {data.head}"),
        title_block(TITLE, key_label, key, lines=["请贴在家中显眼处，有事先打家庭医生电话"],
                    shown=data.shown_key),
        Spacer(1, 4 * mm),
        field_grid([("户主", data.head), (key_label, data.shown_key),
                    ("户类型", data.household_type or data.poverty_status or "一般"),
                    ("签约期限", term),
                    ("家庭成员", "、".join(data.members) or data.head),
                    ("家庭住址", data.address),
                    ("签约团队", f"{data.team.name}（{data.team.institution}）"
                     if data.team.institution else data.team.name)],
                   columns=2, spans=("家庭成员", "家庭住址", "签约团队")),
        Spacer(1, 4 * mm),
        _doctor_box(data),
    ]
    if data.signed:
        out.append(para("签约成员与服务包", st.heading))
        rows = [[name, "、".join(packages) or "未签约"] for name, packages in data.signed]
        out.append(data_table(["姓名", "签约服务包"], rows, [32 * mm, CONTENT_WIDTH - 32 * mm],
                              align="CL"))
    out.append(para("本户享受的健康扶贫政策", st.heading))
    keys = data.policy_keys or (data.poverty_status,)
    policies = book.for_status(*keys)
    out.append(data_table(["项目", "政策内容"], [[p.item, p.text] for p in policies],
                          [32 * mm, CONTENT_WIDTH - 32 * mm], align="CL"))
    if book.example:
        out.append(Spacer(1, 1.5 * mm))
        out.append(para(f"【示例】{book.example_note}", st.small))
    out.append(para("近期应做的服务", st.heading))
    rows = [[d.person, d.service, cn_date(d.due)] for d in sorted(data.due, key=lambda d: d.due)]
    if not rows:
        rows = [["—", "暂无到期服务", "—"]]
    out.append(data_table(["姓名", "服务项目", "应做日期"], rows,
                          [32 * mm, CONTENT_WIDTH - 72 * mm, 40 * mm], align="CLC"))
    out.append(GroupEnd())
    return out


def render_card(data: CardData, out: Output) -> Path | None:
    """One household's card as a PDF at out (a path or a binary file)."""
    return build_pdf(iter([card_flowables(data)]), out, title=TITLE)


def render_cards(items: Sequence[CardData], out: Output) -> Path | None:
    """Several households' cards, one page each, in one PDF."""
    if not items:
        raise ValidationError("没有要打印的明白卡。")
    chunks = ([PageBreak(), *card_flowables(d)] if i else card_flowables(d)
              for i, d in enumerate(items))
    return build_pdf(chunks, out, title=TITLE)
