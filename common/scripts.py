"""Call scripts: an article body in Markdown (`Article.body`, type "script") that the agent
reads with the customer's fields filled in, clicking through its branch points.

The syntax, all of it plain Markdown a trainer can write in any editor:

- **Nodes.** A line starting `## ` begins a node; its title is the heading's text
  (`## 介绍方案` is the node 介绍方案). Text before the first `## ` is the opening node
  (title ""); when that text is blank the first `## ` node opens the script. Titles are unique.
  A `## ` inside a fenced code block does not count.
- **Branch points.** A line holding nothing but one or more `[[按钮文字 -> 节点标题]]` is a row
  of buttons: 按钮文字 is what the agent clicks, 节点标题 the node it goes to (`→` works as the
  arrow too; `[[介绍方案]]` is short for `[[介绍方案 -> 介绍方案]]`). Such lines are taken out
  of the node's text. A node without buttons ends the script. A `[[...]]` in a line with other
  text is reported: buttons stand on their own line.
- **Customer fields.** `{姓名}`, `{楼盘}` or `{any column of the list}` is replaced by the
  record's value; `{{` and `}}` are literal braces. A field the record does not have (or has
  blank) is shown as 【未提供：字段】 (in red), so the agent sees the gap instead of a sentence with a
  hole in it. Values are escaped: a customer's name cannot add Markdown, HTML or buttons, and
  is never filled in twice (a value holding `{姓名}` stays as typed).

`parse_script` gives the nodes, `script_problems` what is wrong (a button to a missing node, a
repeated title, ...), `fill_markdown`/`fill_plain` put the fields in, `node_html` renders a
node for the window, and `ScriptWalk` keeps the path the agent clicked through.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from common.articles import Article
from common.markdown_html import markdown_to_html
from common.resource_files import resources_dir
from common.texts import pick, translate

NAME_FIELD = "姓名"
START = ""  # the title of the opening node (the text before the first `## `)

TEXTS = {
    "empty_script": ("话术是空的", "The script is empty"),
    "duplicate_node": (
        "第 {line} 行：节点“{title}”重复了",
        "Line {line}: the node '{title}' appears twice",
    ),
    "empty_node_title": ("第 {line} 行：节点缺少标题", "Line {line}: a node has no title"),
    "missing_target": (
        "第 {line} 行：按钮“{label}”指向的节点“{target}”不存在",
        "Line {line}: the button '{label}' goes to '{target}', which does not exist",
    ),
    "empty_choice": (
        "第 {line} 行：按钮要写成 [[按钮文字 -> 节点标题]]",
        "Line {line}: write a button as [[label -> node title]]",
    ),
    "inline_choice": (
        "第 {line} 行：按钮 [[...]] 要单独占一行",
        "Line {line}: a button [[...]] must stand on a line of its own",
    ),
}

_HEADING = re.compile(r"^##(?!#)(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CHOICE = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_CHOICE_LINE = re.compile(r"^\s*(?:\[\[[^\[\]\n]*\]\]\s*)+$")
_ARROW = re.compile(r"\s*(?:->|→)\s*")
_FIELD = re.compile(r"\{\{|\}\}|\{([^{}\n]{1,40})\}")
_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&\"'=:^$%@;,/?])")
_SPACES = re.compile(r"\s+")


def _tr(key: str, **kwargs: object) -> str:
    return translate(TEXTS, key, **kwargs)


@dataclass(frozen=True)
class Choice:
    """A button: `label` is what the agent clicks, `target` the title of the node it opens."""

    label: str
    target: str
    line: int  # 1-based line of the body, for messages


@dataclass(frozen=True)
class ScriptNode:
    title: str
    text: str  # Markdown without the heading and the button lines, fields not filled yet
    choices: tuple[Choice, ...]
    line: int


@dataclass(frozen=True)
class ScriptProblem:
    key: str
    message: str
    line: int


@dataclass(frozen=True)
class Script:
    nodes: tuple[ScriptNode, ...]
    problems: tuple[ScriptProblem, ...]  # what parsing itself found (see script_problems)

    @property
    def start(self) -> ScriptNode | None:
        return self.nodes[0] if self.nodes else None

    def node(self, title: str) -> ScriptNode | None:
        key = _title_key(title)
        for node in self.nodes:
            if _title_key(node.title) == key:
                return node
        return None

    def field_names(self) -> list[str]:
        """The fields the script uses, in order of first use."""
        names: list[str] = []
        for node in self.nodes:
            texts = [node.text, *(c.label for c in node.choices)]
            for text in texts:
                for match in _FIELD.finditer(text):
                    name = (match.group(1) or "").strip()
                    if name and name not in names:
                        names.append(name)
        return names


def _title_key(title: str) -> str:
    return _SPACES.sub(" ", title.strip())


def _parse_choice(inner: str, line: int) -> Choice | None:
    parts = _ARROW.split(inner.strip(), maxsplit=1)
    label = parts[0].strip()
    target = parts[1].strip() if len(parts) > 1 else label
    if not label or not target:
        return None
    return Choice(label, _title_key(target), line)


def parse_script(body: str) -> Script:
    """The nodes of a script body, with the problems the parse itself met."""
    problems: list[ScriptProblem] = []
    # (title, first line, text lines, choices)
    sections: list[tuple[str, int, list[str], list[Choice]]] = [(START, 1, [], [])]
    in_fence = False
    for number, raw in enumerate(body.splitlines(), 1):
        if _FENCE.match(raw):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(raw)
        if heading:
            title = _title_key(heading.group(1) or "")
            if not title:
                problems.append(
                    ScriptProblem("empty_node_title", _tr("empty_node_title", line=number), number)
                )
            sections.append((title, number, [], []))
            continue
        _title, _line, lines, choices = sections[-1]
        if not in_fence and _CHOICE_LINE.match(raw):
            for match in _CHOICE.finditer(raw):
                choice = _parse_choice(match.group(1), number)
                if choice is None:
                    problems.append(
                        ScriptProblem("empty_choice", _tr("empty_choice", line=number), number)
                    )
                else:
                    choices.append(choice)
            continue
        if not in_fence and _CHOICE.search(raw):
            problems.append(
                ScriptProblem("inline_choice", _tr("inline_choice", line=number), number)
            )
        lines.append(raw)
    opening = sections[0]
    if not "\n".join(opening[2]).strip() and not opening[3]:
        sections.pop(0)
    nodes = tuple(
        ScriptNode(title, "\n".join(lines).strip("\n"), tuple(choices), line)
        for title, line, lines, choices in sections
    )
    return Script(nodes, tuple(problems))


def script_problems(script: Script | str) -> list[ScriptProblem]:
    """Everything wrong with a script, in line order: what parsing met, repeated node titles,
    buttons to nodes that do not exist. [] when agents can use it."""
    if isinstance(script, str):
        script = parse_script(script)
    problems = list(script.problems)
    if not script.nodes:
        problems.append(ScriptProblem("empty_script", _tr("empty_script"), 0))
    seen: set[str] = set()
    for node in script.nodes:
        key = _title_key(node.title)
        if key in seen and key:  # a second "" is a heading without title, reported already
            problems.append(
                ScriptProblem(
                    "duplicate_node",
                    _tr("duplicate_node", line=node.line, title=node.title),
                    node.line,
                )
            )
        seen.add(key)
    for node in script.nodes:
        for choice in node.choices:
            if choice.target not in seen:
                message = _tr(
                    "missing_target", line=choice.line, label=choice.label, target=choice.target
                )
                problems.append(ScriptProblem("missing_target", message, choice.line))
    return sorted(problems, key=lambda p: p.line)


# -- customer fields --------------------------------------------------------------------------
def record_values(name: str, fields: Mapping[str, object] | None = None) -> dict[str, str]:
    """The values a record offers a script: 姓名 and every column kept from the list."""
    values = {str(k).strip(): "" if v is None else str(v) for k, v in (fields or {}).items()}
    values[NAME_FIELD] = name
    return values


def missing_text(field: str) -> str:
    return pick(f"【未提供：{field}】", f"[not provided: {field}]")


def escape_markdown(value: str) -> str:
    """`value` as literal text inside Markdown: one line, every markup character escaped."""
    return _MD_PUNCTUATION.sub(r"\\\1", _SPACES.sub(" ", value).strip())


def _fill(text: str, values: Mapping[str, str], markdown: bool) -> str:
    def replace(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole == "{{":
            return "\\{" if markdown else "{"
        if whole == "}}":
            return "\\}" if markdown else "}"
        field = match.group(1).strip()
        value = values.get(field, "")
        if not str(value).strip():
            gap = missing_text(field)
            return escape_markdown(gap) if markdown else gap
        return escape_markdown(str(value)) if markdown else _SPACES.sub(" ", str(value)).strip()

    return _FIELD.sub(replace, text)


def fill_markdown(text: str, values: Mapping[str, str]) -> str:
    """Markdown with the fields filled in, values escaped, gaps marked 【未提供：字段】."""
    return _fill(text, values, markdown=True)


def fill_plain(text: str, values: Mapping[str, str]) -> str:
    """Plain text with the fields filled in (button labels, a window title)."""
    return _fill(text, values, markdown=False)


def missing_fields(text: str, values: Mapping[str, str]) -> list[str]:
    """The fields `text` uses that `values` lacks or has blank."""
    names: list[str] = []
    for match in _FIELD.finditer(text):
        name = (match.group(1) or "").strip()
        if name and not str(values.get(name, "")).strip() and name not in names:
            names.append(name)
    return names


def node_html(node: ScriptNode, values: Mapping[str, str]) -> str:
    """The node's text as HTML for the window, fields filled in, gaps in red. (The marker is
    coloured after rendering: Markdown emphasis would not take between two CJK characters.)"""
    page = markdown_to_html(fill_markdown(node.text, values))
    for name in missing_fields(node.text, values):
        marker = html.escape(missing_text(name), quote=False)
        page = page.replace(marker, f'<span style="color:#b91c1c;font-weight:600">{marker}</span>')
    return page


class ScriptWalk:
    """The agent's way through a script: the current node, the path of titles clicked through,
    going on through a button and going back."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self._path: list[str] = [script.start.title] if script.start else []

    @property
    def path(self) -> list[str]:
        return list(self._path)

    @property
    def current(self) -> ScriptNode | None:
        return self.script.node(self._path[-1]) if self._path else None

    def can_choose(self, choice: Choice) -> bool:
        return self.script.node(choice.target) is not None

    def choose(self, index: int) -> ScriptNode | None:
        """Follow the current node's `index`-th button; None (and no move) when its target does
        not exist or there is no such button."""
        node = self.current
        if node is None or not 0 <= index < len(node.choices):
            return None
        target = self.script.node(node.choices[index].target)
        if target is None:
            return None
        self._path.append(target.title)
        return target

    def can_go_back(self) -> bool:
        return len(self._path) > 1

    def back(self) -> ScriptNode | None:
        if self.can_go_back():
            self._path.pop()
        return self.current

    def go_to(self, depth: int) -> ScriptNode | None:
        """Back to the `depth`-th node of the path (0 = the opening), as a breadcrumb does."""
        if 0 <= depth < len(self._path):
            del self._path[depth + 1 :]
        return self.current

    def restart(self) -> ScriptNode | None:
        del self._path[1:]
        return self.current


DEMO_SCRIPT_FILE = "outbound/demo_script.md"
DEMO_SCRIPT_UUID = "0b7e6f4a-3c2d-4e1f-8a9b-5c6d7e8f9a0b"
DEMO_SCRIPT_TITLE = "物业服务满意度回访话术"


def demo_script_body() -> str:
    """The demo campaign's call script (Markdown), package data of `common`."""
    return (resources_dir() / DEMO_SCRIPT_FILE).read_text(encoding="utf-8")


def demo_script_article() -> Article:
    """The demo script as a published script article, for the demo knowledge base/campaign."""
    return Article(
        uuid=DEMO_SCRIPT_UUID,
        type="script",
        title=DEMO_SCRIPT_TITLE,
        body=demo_script_body(),
        category="外呼话术",
        tags=["回访", "满意度", "物业"],
    )
