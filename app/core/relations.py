"""Relations to the household head (与户主关系): the form's list and the spellings met in rosters.

The stored values are the health file's list. GB/T 4761 家庭关系代码 (its codes and names) and the
county's usual spellings (之孙子, 长子, 媳, 本人 …) are read into it; the standard's many distant
relations (侄子, 嫂, 孙媳妇 …) are kept as 其他, as the form itself does.
"""

from __future__ import annotations

from app.core.errors import ValidationError
from app.core.text import clean, compact

RELATIONS: tuple[str, ...] = (
    "户主", "配偶", "子", "女", "儿媳", "女婿", "孙子", "孙女", "外孙子", "外孙女",
    "父亲", "母亲", "公公", "婆婆", "岳父", "岳母", "祖父", "祖母", "外祖父", "外祖母",
    "兄弟", "姐妹", "其他",
)


def _spellings(table: dict[str, str]) -> dict[str, str]:
    """Spelling -> relation, from relation -> its spellings separated by spaces."""
    return {s: relation for relation, names in table.items() for s in names.split()}


_SYNONYMS: dict[str, str] = _spellings({
    "户主": "本人 户主本人 本人或户主 户主 户长",
    "配偶": "妻 妻子 丈夫 夫 爱人 老伴 夫妻 配偶 妻子或丈夫",
    "子": "儿子 儿 子 长子 次子 三子 四子 五子 幼子 大儿子 二儿子 三儿子 小儿子 独生子 独子 养子"
          " 继子 养子或继子 其他儿子",
    "女": "女儿 女 长女 次女 三女 四女 五女 幼女 大女儿 二女儿 三女儿 小女儿 独生女 养女 继女"
          " 养女或继女 其他女儿",
    "儿媳": "儿媳 媳 媳妇 儿媳妇 长媳 次媳",
    "女婿": "女婿 婿 上门女婿",
    "孙子": "孙子 孙儿 长孙 次孙 长孙子 次孙子",
    "孙女": "孙女 长孙女 次孙女",
    "外孙子": "外孙子",
    "外孙女": "外孙女",
    "父亲": "父亲 父 爸爸 继父 养父 继父或养父",
    "母亲": "母亲 母 妈妈 继母 养母 继母或养母",
    "公公": "公公", "婆婆": "婆婆", "岳父": "岳父", "岳母": "岳母",
    "祖父": "祖父 爷爷", "祖母": "祖母 奶奶",
    "外祖父": "外祖父 外公 姥爷", "外祖母": "外祖母 外婆 姥姥",
    "兄弟": "兄弟 兄 弟 哥哥 弟弟 哥 胞兄 胞弟",
    "姐妹": "姐妹 姐 妹 姐姐 妹妹 胞姐 胞妹",
    "其他": "其他 其它 其他亲属 非亲属 孙媳 孙媳妇 孙女婿 曾孙 曾孙子 曾孙女 侄子 侄女 侄儿"
            " 外甥 外甥女 嫂 嫂子 弟媳 姐夫 妹夫 伯父 伯母 叔父 叔叔 婶母 婶婶 舅父 舅舅 舅母"
            " 姨父 姨母 姑父 姑母 姑姑 堂兄弟 堂姐妹 表兄弟 表姐妹 曾祖父 曾祖母 侄孙 侄孙女",
})
# Words that name a relation without the sex: (the man's, the woman's).
_BY_SEX: dict[str, tuple[str, str]] = {
    "子女": ("子", "女"), "孙": ("孙子", "孙女"), "孙子女": ("孙子", "孙女"),
    "孙子孙女": ("孙子", "孙女"), "外孙": ("外孙子", "外孙女"), "外孙子女": ("外孙子", "外孙女"),
    "外孙子/女": ("外孙子", "外孙女"), "孙子/女": ("孙子", "孙女"), "父母": ("父亲", "母亲"),
    "祖父母": ("祖父", "祖母"), "外祖父母": ("外祖父", "外祖母"), "兄弟姐妹": ("兄弟", "姐妹"),
    "兄妹": ("兄弟", "姐妹"), "姐弟": ("兄弟", "姐妹"), "公婆": ("公公", "婆婆"),
    "岳父母": ("岳父", "岳母"),
}
# GB/T 4761-2008 家庭关系代码 (two digits) for the values the health file keeps apart.
_GBT_CODES: dict[str, str] = {
    "01": "户主", "02": "户主", "10": "配偶", "11": "配偶", "12": "配偶", "28": "女婿",
    "38": "儿媳", "41": "孙子", "42": "孙女", "43": "外孙子", "44": "外孙女", "51": "父亲",
    "52": "母亲", "53": "公公", "54": "婆婆", "55": "岳父", "56": "岳母", "57": "父亲",
    "58": "母亲", "61": "祖父", "62": "祖母", "63": "外祖父", "64": "外祖母", "71": "兄弟",
    "73": "兄弟", "75": "姐妹", "77": "姐妹",
}
_GBT_BY_SEX: dict[str, tuple[str, str]] = {
    "20": ("子", "女"), "30": ("子", "女"), "40": ("孙子", "孙女"), "49": ("孙子", "孙女"),
    "50": ("父亲", "母亲"), "60": ("祖父", "祖母"), "70": ("兄弟", "姐妹"), "79": ("兄弟", "姐妹"),
}
_PREFIXES = ("户主之", "户主的", "户主", "之", "其", "系")


def _gbt(code: str) -> str | tuple[str, str] | None:
    if code in _GBT_CODES:
        return _GBT_CODES[code]
    if code in _GBT_BY_SEX:
        return _GBT_BY_SEX[code]
    head = code[:1]
    return {"2": "子", "3": "女", "8": "其他", "9": "其他"}.get(head)


def _lookup(text: str) -> str | tuple[str, str] | None:
    if text in _SYNONYMS:
        return _SYNONYMS[text]
    if text in _BY_SEX:
        return _BY_SEX[text]
    if len(text) == 2 and text.isdigit():
        return _gbt(text)
    return None


def relation_name(raw: object, sex: str = "") -> str:
    """A relation to the head from a name, a roster spelling or a GB/T 4761 code.

    `sex` ('1' or '2') tells 孙 from 孙女 and 兄弟姐妹 apart; ValidationError when unknown.
    """
    text = compact(raw).replace("（", "(").replace("）", ")")
    found = _lookup(text)
    for prefix in _PREFIXES:
        if found is None and text.startswith(prefix) and len(text) > len(prefix):
            found = _lookup(text[len(prefix):])
    if isinstance(found, str):
        return found
    if found is not None:
        if sex in ("1", "2"):
            return found[0] if sex == "1" else found[1]
        raise ValidationError(f"与户主关系“{clean(raw)}”不分男女，且性别不明", field="relation")
    raise ValidationError(f"不认识的与户主关系“{clean(raw)}”", field="relation")
