"""A starting text for each article type, and the checks each type's body must pass before it
can be submitted (Qt-free; the editor shows the problems as the trainer types).

- FAQ: a question and its answer.
- Outbound script (话术): common/scripts.py's syntax, nodes with branch points
  ``[[按钮 -> 节点]]`` and customer fields ``{姓名}``; checked with its `script_problems`.
- Service flow (服务流程) for one contact point: the steps are the body's numbered list, and
  the last step is the read-back to the customer 复述 (DOMAIN.md, "Service process map": a
  business flow ends with a read-back of what was done). The contact-point code is required.
- Complaint-handling guide (投诉处理指引): free Markdown with the usual sections.

The templates are in Chinese for a Chinese user and in English otherwise (common.texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent_app.authoring.contact_point import contact_point_problem
from common.articles import ARTICLE_TYPES
from common.scripts import script_problems
from common.texts import pick, translate

READ_BACK = "复述"
# A step of a flow: a numbered list item, '1.' '1、' or '1)' as trainers write them.
_STEP = re.compile(r"^\s{0,3}\d{1,3}[.、)）]\s*(.*\S)?\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")

TEXTS = {
    "empty": ("正文是空的", "The body is empty"),
    "no_title": ("请填写标题", "Please enter a title"),
    "no_steps": (
        "服务流程要写成编号步骤（1. 2. 3. …）",
        "Write a service flow as numbered steps (1. 2. 3. …)",
    ),
    "no_read_back": (
        "服务流程的最后一步必须是复述（向客户复述办理结果），现在是：{step}",
        "The last step of a service flow must be the read-back 复述 of what was done; "
        "now it is: {step}",
    ),
}

_TEMPLATES: dict[str, tuple[str, str]] = {
    "faq": (
        # Every section holds a bracketed line the trainer replaces, as in the other
        # templates: an empty list item would show the preview a heading over nothing.
        "## 问题\n\n（客户通常怎么问）\n\n## 解答\n\n（坐席怎么答，分点写清楚）\n\n"
        "1. （第一点）\n2. （第二点）\n\n## 注意事项\n\n"
        "- （坐席要特别注意的地方；没有就删掉这一节）\n",
        "## Question\n\n(How customers usually ask it)\n\n## Answer\n\n"
        "(What the agent says, point by point)\n\n1. (First point)\n2. (Second point)\n\n"
        "## Notes\n\n- (What the agent must watch out for; delete this section if there is "
        "none)\n",
    ),
    "script": (
        "您好，请问是{姓名}吗？我是客服中心的坐席，耽误您一分钟时间可以吗？\n\n"
        "[[方便 -> 介绍方案]] [[不方便 -> 预约回访]]\n\n"
        "## 介绍方案\n\n{姓名}您好，根据您的{套餐}，我们为您推荐……\n\n"
        "[[有兴趣 -> 办理]] [[没兴趣 -> 结束]]\n\n"
        "## 办理\n\n好的，我为您办理。请您确认……\n\n[[确认 -> 结束]]\n\n"
        "## 预约回访\n\n好的，请问您什么时间方便？\n\n[[已预约 -> 结束]]\n\n"
        "## 结束\n\n感谢您的接听，祝您生活愉快，再见！\n",
        "Hello, am I speaking with {姓名}? I am calling from the service center; do you have "
        "a minute?\n\n[[Yes -> Offer]] [[Not now -> Call back]]\n\n"
        "## Offer\n\n{姓名}, based on your plan {套餐} we recommend…\n\n"
        "[[Interested -> Sign up]] [[Not interested -> Close]]\n\n"
        "## Sign up\n\nFine, I will set it up. Please confirm…\n\n[[Confirmed -> Close]]\n\n"
        "## Call back\n\nWhen would suit you?\n\n[[Booked -> Close]]\n\n"
        "## Close\n\nThank you for your time, goodbye!\n",
    ),
    "flow": (
        "适用接触点：（例如 AA1102）\n\n## 办理步骤\n\n"
        "1. 核实客户身份（服务密码或身份证后四位）\n"
        "2. 查询客户当前状态\n"
        "3. 为客户办理业务，说明生效时间和费用\n"
        "4. 复述：向客户复述办理的业务、生效时间和费用，客户确认无误\n",
        "Contact point: (e.g. AA1102)\n\n## Steps\n\n"
        "1. Verify the customer (service password or the last four ID digits)\n"
        "2. Look up the customer's current state\n"
        "3. Do what was asked; say when it takes effect and what it costs\n"
        "4. 复述 Read back: repeat what was done, when it takes effect and the cost; the "
        "customer confirms\n",
    ),
    "complaint_guide": (
        "## 适用情形\n\n（哪类投诉用这份指引）\n\n## 安抚要点\n\n- 先致歉，倾听，不打断\n\n"
        "## 处理步骤\n\n1. 记录投诉内容和客户诉求\n2. 核实情况\n3. 给出处理方案和时限\n\n"
        "## 升级条件\n\n- （何时转投诉主管）\n\n## 回访\n\n（回访时间和话术）\n",
        "## When to use\n\n(Which complaints this guide is for)\n\n## Calming the customer\n\n"
        "- Apologise first, listen, do not interrupt\n\n## Steps\n\n"
        "1. Record the complaint and what the customer wants\n2. Check the facts\n"
        "3. Offer a remedy and a deadline\n\n## When to escalate\n\n"
        "- (When to hand over to the complaints supervisor)\n\n## Follow-up call\n\n"
        "(When and what to say)\n",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing to fix before submitting; `field` names the editor's field ('body', ...)."""

    field: str
    message: str
    line: int = 0


def template(article_type: str, lang: str | None = None) -> str:
    """The starting body of a new article of `article_type`."""
    zh, en = _TEMPLATES[article_type]
    return pick(zh, en, lang)


def flow_steps(body: str) -> list[str]:
    """The numbered steps of a service flow, in order (code blocks skipped)."""
    steps: list[str] = []
    fenced = False
    for line in body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _STEP.match(line)
        if match is not None:
            steps.append((match.group(1) or "").strip())
    return steps


def ends_in_read_back(body: str) -> bool:
    steps = flow_steps(body)
    return bool(steps) and READ_BACK in steps[-1]


def problems(article_type: str, title: str, body: str, contact_point: str = "") -> list[Problem]:
    """What must be fixed before `body` can be submitted as an article of `article_type`."""
    if article_type not in ARTICLE_TYPES:
        raise ValueError(f"unknown article type {article_type!r}")
    found: list[Problem] = []
    if not title.strip():
        found.append(Problem("title", translate(TEXTS, "no_title")))
    point = contact_point_problem(contact_point, required=article_type == "flow")
    if point:
        found.append(Problem("contact_point", point))
    if not body.strip():
        found.append(Problem("body", translate(TEXTS, "empty")))
        return found
    if article_type == "script":
        found.extend(Problem("body", p.message, p.line) for p in script_problems(body))
    elif article_type == "flow":
        steps = flow_steps(body)
        if not steps:
            found.append(Problem("body", translate(TEXTS, "no_steps")))
        elif READ_BACK not in steps[-1]:
            found.append(Problem("body", translate(TEXTS, "no_read_back", step=steps[-1])))
    return found
