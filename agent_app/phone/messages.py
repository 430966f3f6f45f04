"""The phone's user-facing texts, Simplified Chinese first and English second (no Qt here),
through the shared text helper (common/texts.py); and the phone's one error type."""

from __future__ import annotations

from common.numbers import DialTarget, NumberError, normalize
from common.texts import translate

MESSAGES: dict[str, tuple[str, str]] = {
    "no_account": ("没有可用的话机账号，请先在设置中添加", "no phone account: add one in Settings"),
    "not_registered": ("话机未注册：{reason}", "the phone is not registered: {reason}"),
    "no_call": ("没有这通电话", "no such call"),
    "call_failed": ("呼叫失败：{reason}", "the call failed: {reason}"),
    "action_failed": ("操作失败：{reason}", "the action failed: {reason}"),
    "too_many_calls": (
        "已有 {limit} 通电话，请先挂断一通",
        "{limit} calls are up already: hang one up first",
    ),
    "dialling_too_fast": ("拨号过快，请稍候再拨", "dialling too fast: wait a moment"),
    "need_two_calls": ("需要两通已接通的电话", "two connected calls are needed"),
    "null_audio": (
        "未找到声卡，通话没有声音（已使用空设备）",
        "no sound device found: calls have no sound (using the null device)",
    ),
    "reg_ok": ("已注册", "registered"),
    "reg_auth": ("用户名或密码错误（{code}）", "wrong user name or password ({code})"),
    "reg_timeout": ("服务器无响应（{code}）", "the server does not answer ({code})"),
    "reg_unreachable": ("无法连接服务器：{reason}", "cannot reach the server: {reason}"),
    "reg_tls_certificate": (
        "服务器证书验证失败，请检查话机设置中的 CA 证书文件",
        "the server's certificate could not be verified: check the CA certificate file in the "
        "phone settings",
    ),
    "reg_unresolved": (
        "找不到服务器“{host}”（域名无法解析）",
        "cannot find the server '{host}' (name lookup failed)",
    ),
    "reg_other": ("注册失败：{code} {reason}", "registration failed: {code} {reason}"),
    "reg_reconnecting": (
        "与服务器的连接已断开，正在重新注册",
        "the connection to the server dropped: registering again",
    ),
    "hold_failed": (
        "保持未成功（{reason}），通话仍在进行",
        "hold did not go through ({reason}); the call is still up",
    ),
    "resume_failed": (
        "恢复通话未成功（{reason}），请稍后再试",
        "resuming did not go through ({reason}): try again in a moment",
    ),
    "transfer_failed": (
        "转接失败（{reason}），客户仍在线上",
        "the transfer failed ({reason}); the customer is still on the line",
    ),
    "transfer_done": ("已转接", "transferred"),
    "hold_pending": ("正在保持…", "putting on hold…"),
    "resume_pending": ("正在恢复通话…", "resuming…"),
    "transfer_pending": ("正在转接…", "transferring…"),
    "no_response": ("无应答", "no answer"),
    "dropped_no_response": (
        "对方无响应，通话已中断",
        "the other side stopped answering: the call dropped",
    ),
    "sip_busy": ("对方忙", "busy"),
    "sip_no_answer": ("无人接听", "no answer"),
    "sip_rejected": ("对方拒接", "declined"),
    "sip_not_found": ("号码不存在", "number not found"),
    "sip_unavailable": ("对方暂时无法接通", "temporarily unavailable"),
    "sip_cancelled": ("已取消", "cancelled"),
    "sip_failed": ("呼叫失败（{code}）", "call failed ({code})"),
}


def tr(key: str, **kwargs: object) -> str:
    return translate(MESSAGES, key, **kwargs)


class PhoneError(Exception):
    """A phone action that cannot be done; its message is for the user."""


def dial_target(text: str) -> DialTarget:
    """What to dial for `text` (common/numbers.py's rules); PhoneError when it is not a number,
    so the phone's callers catch one error type."""
    try:
        return normalize(text)
    except NumberError as exc:
        raise PhoneError(str(exc)) from None
