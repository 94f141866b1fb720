"""Enumerations: each source's codes mapped onto the values the database stores."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from cdp.ingest.normalize.errors import RejectCode, Rejection
from cdp.ingest.normalize.text import fold, raw_text

T = TypeVar("T")

GENDER = {"m": "M", "male": "M", "男": "M", "1": "M", "f": "F", "female": "F", "女": "F", "2": "F"}
_RISK_WORDS = {"保守型": 1, "稳健型": 2, "平衡型": 3, "成长型": 4, "进取型": 5}
INVESTOR_CLASS = {
    "普通": "ordinary", "普通投资者": "ordinary", "ordinary": "ordinary", "o": "ordinary",
    "专业": "professional", "专业投资者": "professional", "professional": "professional",
    "p": "professional",
}  # fmt: skip
GRANTED = {
    "y": True, "yes": True, "true": True, "1": True, "同意": True, "是": True, "授权": True,
    "n": False, "no": False, "false": False, "0": False, "撤回": False, "否": False,
    "拒绝": False, "不同意": False,
}  # fmt: skip
ID_TYPE = {
    "id_card": "id_card", "身份证": "id_card", "居民身份证": "id_card", "01": "id_card",
    "id": "id_card",
    "passport": "passport", "护照": "passport", "02": "passport",
    "hk_macau_permit": "hk_macau_permit", "港澳通行证": "hk_macau_permit",
    "港澳居民来往内地通行证": "hk_macau_permit",
    "taiwan_permit": "taiwan_permit", "台胞证": "taiwan_permit",
    "台湾居民来往大陆通行证": "taiwan_permit",
    "foreign_permanent": "foreign_permanent", "外国人永久居留证": "foreign_permanent",
}  # fmt: skip
TRANSACTION_KIND = {
    "purchase": "purchase", "申购": "purchase", "认购": "purchase", "买入": "purchase",
    "redemption": "redemption", "赎回": "redemption", "卖出": "redemption",
    "dividend": "dividend", "分红": "dividend",
    "deposit": "deposit", "存入": "deposit", "存款": "deposit",
    "withdrawal": "withdrawal", "取出": "withdrawal", "取款": "withdrawal",
    "transfer_in": "transfer_in", "转入": "transfer_in",
    "transfer_out": "transfer_out", "转出": "transfer_out",
    "fee": "fee", "手续费": "fee", "费用": "fee",
}  # fmt: skip
CHANNEL = {
    "branch": "branch", "网点": "branch", "柜面": "branch",
    "app": "app", "手机银行": "app",
    "web": "web", "网银": "web", "网上银行": "web",
    "phone": "phone", "电话": "phone", "电话银行": "phone",
    "advisor": "advisor", "理财经理": "advisor", "客户经理": "advisor",
}  # fmt: skip
EVENT_KIND = {
    "login": "login", "登录": "login",
    "product_view": "product_view", "浏览": "product_view", "产品浏览": "product_view",
    "call": "call", "电话": "call", "来电": "call",
    "complaint": "complaint", "投诉": "complaint",
    "survey": "survey", "问卷": "survey",
    "email_open": "email_open", "邮件打开": "email_open",
    "branch_visit": "branch_visit", "到店": "branch_visit", "网点到访": "branch_visit",
}  # fmt: skip
PURPOSE = {
    "profiling": "profiling", "画像": "profiling", "用户画像": "profiling",
    "marketing": "marketing", "营销": "marketing",
    "partner_sharing": "partner_sharing", "第三方共享": "partner_sharing",
    "合作方共享": "partner_sharing",
}  # fmt: skip


def _key(value: object) -> str | None:
    s = raw_text(value)
    return None if s is None else fold(s).strip().lower()


def _lookup(value: object, table: Mapping[str, T], code: RejectCode, what: str) -> T | None:
    key = _key(value)
    if key is None:
        return None
    found = table.get(key)
    if found is None:
        raise Rejection(None, code, f"unknown {what} {value!r}")
    return found


def gender(value: object) -> str | None:
    """男/女, M/F, male/female, 1/2 → ``M`` / ``F``."""
    return _lookup(value, GENDER, "gender_invalid", "gender")


def risk_level(value: object) -> int | None:
    """C1–C5, R1–R5, 1–5 or 保守型…进取型 → 1–5."""
    if isinstance(value, int) and not isinstance(value, bool):
        key: str | None = str(value)
    else:
        key = _key(value)
    if key is None:
        return None
    if key in _RISK_WORDS:
        return _RISK_WORDS[key]
    digits = key[1:] if key[:1] in ("c", "r") else key
    if len(digits) == 1 and digits in "12345":
        return int(digits)
    raise Rejection(None, "risk_level_invalid", f"risk level is C1–C5: {value!r}")


def investor_class(value: object) -> str | None:
    """普通 / 专业 (or ordinary / professional)."""
    return _lookup(value, INVESTOR_CLASS, "investor_class_invalid", "investor class")


def consent_granted(value: object) -> bool | None:
    """Y/N, true/false, 1/0, 同意/撤回."""
    if isinstance(value, bool):
        return value
    return _lookup(value, GRANTED, "granted_invalid", "consent value")


def id_type(value: object) -> str | None:
    return _lookup(value, ID_TYPE, "id_type_invalid", "ID type")


def transaction_kind(value: object) -> str | None:
    return _lookup(value, TRANSACTION_KIND, "enum_invalid", "transaction kind")


def channel(value: object) -> str | None:
    return _lookup(value, CHANNEL, "enum_invalid", "channel")


def event_kind(value: object) -> str | None:
    return _lookup(value, EVENT_KIND, "enum_invalid", "event kind")


def consent_purpose(value: object) -> str | None:
    return _lookup(value, PURPOSE, "enum_invalid", "consent purpose")
