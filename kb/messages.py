"""The knowledge base's user-facing messages (import reports, command-line output), Simplified
Chinese first and English second; the language is common/texts.py's.
"""

from __future__ import annotations

from common.texts import language, set_language, translate

__all__ = ["MESSAGES", "UserError", "language", "set_language", "tr", "translate"]

MESSAGES: dict[str, tuple[str, str]] = {
    "bad_json": ("不是有效的 JSON：{detail}", "not valid JSON: {detail}"),
    "not_object": ("每行必须是一个 JSON 对象", "each line must be a JSON object"),
    "missing_field": ("缺少必填字段“{field}”", "required field '{field}' is missing"),
    "empty_field": ("字段“{field}”不能为空", "field '{field}' must not be empty"),
    "bad_type": (
        "类型“{value}”无效，应为 faq、script、flow 或 complaint_guide 之一",
        "type '{value}' is not one of faq, script, flow, complaint_guide",
    ),
    "bad_status": ("状态“{value}”无效", "status '{value}' is not valid"),
    "bad_business_line": (
        "业务线“{value}”未知，可用：{allowed}（导入时加 --create-lines 可新建业务线）",
        "business line '{value}' is unknown; use one of {allowed} "
        "(or import with --create-lines to create it)",
    ),
    "bad_business_line_server": (
        "业务线“{value}”未知，服务器的业务线有：{allowed}（请管理员在服务器上新建；"
        "导入时加 --create-lines 可只在本机新建）",
        "business line '{value}' is unknown; the server's lines are {allowed} (ask an admin to "
        "add it on the server, or import with --create-lines to add it on this workstation only)",
    ),
    "lines_created": ("新建业务线：{lines}", "business lines created: {lines}"),
    "lines_created_local": (
        "只在本机新建的业务线：{lines}（请管理员在服务器上新建，其他坐席才能看到）",
        "business lines added on this workstation only: {lines} (ask an admin to add them on "
        "the server so that other seats see them)",
    ),
    "not_string": ("字段“{field}”必须是文本", "field '{field}' must be text"),
    "not_string_list": ("字段“{field}”必须是文本列表", "field '{field}' must be a list of text"),
    "too_long": (
        "字段“{field}”过长（{length} 字，上限 {limit}）",
        "field '{field}' is too long ({length} characters, limit {limit})",
    ),
    "bad_id": (
        "id “{value}” 无效：应为文本，最长 {limit} 个字符，不含空白",
        "id '{value}' is not valid: it must be text of at most {limit} characters, no spaces",
    ),
    "duplicate_id": (
        "id 与第 {first_line} 行重复，本行未导入",
        "id repeats line {first_line}; this line was not imported",
    ),
    "undecodable": (
        "无法识别编码（支持 UTF-8 和 GB18030）",
        "cannot decode the text (UTF-8 and GB18030 are supported)",
    ),
    "bad_front_matter": ("文件头（front matter）格式错误：{detail}", "bad front matter: {detail}"),
    "no_front_matter": (
        "缺少以 --- 开头的文件头（front matter）",
        "missing front matter starting with ---",
    ),
    "db_error": ("写入失败：{detail}", "could not be written: {detail}"),
    "file_missing": ("找不到文件或文件夹：{path}", "no such file or folder: {path}"),
    "import_summary": (
        "导入完成：新增 {created}，更新 {updated}，未变 {unchanged}，错误 {failed}",
        "import finished: {created} new, {updated} updated, {unchanged} unchanged, {failed} errors",
    ),
    "import_line_error": ("{source} 第 {line} 行：{reason}", "{source} line {line}: {reason}"),
    "export_summary": ("已导出 {count} 篇文章到 {path}", "exported {count} articles to {path}"),
    "no_results": ("没有找到结果", "no results"),
    "demo_removed": ("已删除 {count} 篇演示文章", "removed {count} demo articles"),
    "demo_loaded": ("已载入 {count} 篇演示文章", "loaded {count} demo articles"),
    "demo_campaign_removed": ("已删除 {count} 个演示外呼活动", "removed {count} demo campaigns"),
}


def tr(key: str, **kwargs: object) -> str:
    return translate(MESSAGES, key, **kwargs)


class UserError(Exception):
    """An error the user can act on; its message is already in the user's language."""

    def __init__(self, key: str, **kwargs: object) -> None:
        self.key = key
        self.kwargs = kwargs
        super().__init__(tr(key, **kwargs))
