<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AnswerDialog</name>
    <message>
        <source>Answer the question</source>
        <translation>答复问题</translation>
    </message>
    <message>
        <source>The answer the agent will read to customers</source>
        <translation>坐席将读给客户的答复</translation>
    </message>
    <message>
        <source>Send answer</source>
        <translation>发送答复</translation>
    </message>
    <message>
        <source>Link the article open in the KB pane</source>
        <translation>关联知识库窗格中打开的文章</translation>
    </message>
    <message>
        <source>Remove link</source>
        <translation>取消关联</translation>
    </message>
    <message>
        <source>Open the article in the KB pane first (this window can stay open).</source>
        <translation>请先在知识库窗格中打开该文章（本窗口可保持打开）。</translation>
    </message>
    <message>
        <source>No article linked (optional).</source>
        <translation>未关联文章（可选）。</translation>
    </message>
    <message>
        <source>Linked article: %1</source>
        <translation>已关联文章：%1</translation>
    </message>
</context>
<context>
    <name>ArticleEditorController</name>
    <message>
        <source>New article</source>
        <translation>新文章</translation>
    </message>
    <message>
        <source>Submitted for approval; waiting for the center manager.</source>
        <translation>已提交审批，等待中心经理审核。</translation>
    </message>
    <message>
        <source>Approved.</source>
        <translation>已批准。</translation>
    </message>
    <message>
        <source>Approved and published.</source>
        <translation>已批准并发布。</translation>
    </message>
    <message>
        <source>Rejected: %1 — change the draft and submit it again.</source>
        <translation>被驳回：%1 —— 请修改草稿后重新提交。</translation>
    </message>
    <message>
        <source>The article changed since you started: settle the differences in the Conflict tab, then submit again.</source>
        <translation>您开始编辑后文章已被修改：请在“冲突”页处理差异后重新提交。</translation>
    </message>
    <message>
        <source>Draft saved %1</source>
        <translation>已保存草稿 %1</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>The text still holds conflict markers (&lt;&lt;&lt;&lt;&lt;&lt;&lt; ======= &gt;&gt;&gt;&gt;&gt;&gt;&gt;).</source>
        <translation>正文中还有冲突标记（&lt;&lt;&lt;&lt;&lt;&lt;&lt; ======= &gt;&gt;&gt;&gt;&gt;&gt;&gt;）。</translation>
    </message>
    <message>
        <source>Submitted for approval; it is sent when the server is reachable.</source>
        <translation>已提交审批；连上服务器时自动发送。</translation>
    </message>
    <message>
        <source>Add an image or PDF</source>
        <translation>添加图片或 PDF</translation>
    </message>
    <message>
        <source>Images and PDF (*.png *.jpg *.jpeg *.gif *.webp *.pdf)</source>
        <translation>图片和 PDF (*.png *.jpg *.jpeg *.gif *.webp *.pdf)</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <source>Throw away this draft and what you wrote in it?</source>
        <translation>放弃这份草稿和其中写下的内容吗？</translation>
    </message>
    <message>
        <source>The draft was discarded.</source>
        <translation>草稿已放弃。</translation>
    </message>
</context>
<context>
    <name>ArticleEditorView</name>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>e.g. 电信/宽带</source>
        <translation>例如 电信/宽带</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>comma-separated</source>
        <translation>用逗号分隔</translation>
    </message>
    <message>
        <source>other ways to ask, comma-separated</source>
        <translation>其他问法，用逗号分隔</translation>
    </message>
    <message>
        <source>Review by</source>
        <translation>复审日期</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Business line</source>
        <translation>业务线</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Aliases</source>
        <translation>别名</translation>
    </message>
    <message>
        <source>Contact point</source>
        <translation>接触点</translation>
    </message>
    <message>
        <source>The article in Markdown…</source>
        <translation>用 Markdown 编写正文…</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Text (Markdown)</source>
        <translation>正文（Markdown）</translation>
    </message>
    <message>
        <source>Add image or PDF…</source>
        <translation>添加图片或 PDF…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>A note for the reviewer (optional)</source>
        <translation>给审核人的说明（可选）</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <source>Throw this draft away (the published article stays)</source>
        <translation>放弃这份草稿（已发布的文章不受影响）</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Submit for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <source>Send to the center manager for review (Ctrl+Enter)</source>
        <translation>提交给中心经理审核（Ctrl+Enter）</translation>
    </message>
</context>
<context>
    <name>ArticleListView</name>
    <message>
        <source>Find by title…</source>
        <translation>按标题查找…</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Review due</source>
        <translation>待复审</translation>
    </message>
    <message>
        <source>Only articles past their review date</source>
        <translation>只显示已过复审日期的文章</translation>
    </message>
    <message>
        <source>My drafts</source>
        <translation>我的草稿</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Surveys</source>
        <translation>问卷</translation>
    </message>
    <message>
        <source>Authoring</source>
        <translation>知识编写</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>被驳回</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>有冲突</translation>
    </message>
    <message>
        <source>Review due %1</source>
        <translation>%1 到期复审</translation>
    </message>
    <message>
        <source>v%1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n 项</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ArticleView</name>
    <message>
        <source>Helpful</source>
        <translation>有帮助</translation>
    </message>
    <message>
        <source>Not helpful</source>
        <translation>没帮助</translation>
    </message>
    <message>
        <source>No article open</source>
        <translation>未打开文章</translation>
    </message>
    <message>
        <source>Type in the search box (Ctrl+K); Enter opens the selected result.</source>
        <translation>在搜索框输入问题（Ctrl+K），按回车打开选中的结果。</translation>
    </message>
    <message>
        <source>not downloaded yet</source>
        <translation>尚未下载</translation>
    </message>
    <message>
        <source>Double-click or Enter opens the attachment</source>
        <translation>双击或按回车打开附件</translation>
    </message>
    <message>
        <source>Attachment not downloaded yet: %1</source>
        <translation>附件尚未下载：%1</translation>
    </message>
    <message>
        <source>Thank you, feedback recorded.</source>
        <translation>谢谢，反馈已记录。</translation>
    </message>
</context>
<context>
    <name>AttentionController</name>
    <message>
        <source>“%1” retired; workstations remove it at their next sync.</source>
        <translation>“%1”已停用；各工作站下次同步时移除。</translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message>
        <source>Articles to look at</source>
        <translation>需关注的文章</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Review by</source>
        <translation>复审日期</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>关联问题</translation>
    </message>
    <message>
        <source>Not helpful</source>
        <translation>没帮助</translation>
    </message>
    <message>
        <source>Latest reason</source>
        <translation>最新原因</translation>
    </message>
    <message>
        <source>Review overdue</source>
        <translation>逾期未复审</translation>
    </message>
    <message>
        <source>Open in editor</source>
        <translation>在编辑器中打开</translation>
    </message>
    <message>
        <source>Retire article…</source>
        <translation>停用文章…</translation>
    </message>
    <message>
        <source>Search vocabulary…</source>
        <translation>搜索词库…</translation>
    </message>
    <message>
        <source>Synonym groups and the user dictionary</source>
        <translation>同义词组与用户词典</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Review overdue (%1)</source>
        <translation>逾期未复审（%1）</translation>
    </message>
    <message>
        <source>Not helpful (%1)</source>
        <translation>没帮助（%1）</translation>
    </message>
    <message>
        <source>Nothing needs attention in this list.</source>
        <translation>此列表中没有需要处理的文章。</translation>
    </message>
    <message>
        <source>Review by %1</source>
        <translation>应于 %1 前复审</translation>
    </message>
    <message>
        <source>Not helpful: %1 vote(s)</source>
        <translation>没帮助：%1 票</translation>
    </message>
    <message>
        <source>Questions linked to this article</source>
        <translation>与本文关联的未解答问题</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Retire article</source>
        <translation>停用文章</translation>
    </message>
    <message>
        <source>Retire “%1”? Agents no longer find it; every workstation removes it at its next sync.</source>
        <translation>停用“%1”？坐席将无法再搜到它；各工作站下次同步时移除。</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>AuditController</name>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Nothing was audited in these days.</source>
        <translation>这段日期内没有审计记录。</translation>
    </message>
    <message>
        <source>The newest %1 of %2 entries: narrow the days or the user to see the rest.</source>
        <translation>显示最新的 %1 条（共 %2 条）：缩小日期范围或指定用户以查看其余记录。</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>共 %1 条</translation>
    </message>
    <message>
        <source>Your session has ended: log in again to read the audit.</source>
        <translation>登录已失效：请重新登录后查看审计记录。</translation>
    </message>
    <message>
        <source>The audit could not be read: %1</source>
        <translation>无法读取审计记录：%1</translation>
    </message>
    <message>
        <source>Monitor session</source>
        <translation>监听会话</translation>
    </message>
    <message>
        <source>Permission given</source>
        <translation>授权已发放</translation>
    </message>
    <message>
        <source>Permission refused</source>
        <translation>授权被拒</translation>
    </message>
    <message>
        <source>Refused by the seat</source>
        <translation>坐席拒绝</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>监听</translation>
    </message>
    <message>
        <source>Whisper</source>
        <translation>耳语</translation>
    </message>
    <message>
        <source>Barge in</source>
        <translation>强插</translation>
    </message>
    <message>
        <source>this role may not monitor</source>
        <translation>该角色无监听权限</translation>
    </message>
    <message>
        <source>the agent is in another team</source>
        <translation>该坐席属于其他班组</translation>
    </message>
    <message>
        <source>no such agent</source>
        <translation>无此坐席</translation>
    </message>
    <message>
        <source>the agent had no such call up</source>
        <translation>该坐席当时没有这通电话</translation>
    </message>
    <message>
        <source>the agent&apos;s seat had stopped reporting</source>
        <translation>该坐席已失联</translation>
    </message>
    <message>
        <source>no permission was sent</source>
        <translation>未携带授权</translation>
    </message>
    <message>
        <source>the permission could not be read</source>
        <translation>授权无法解析</translation>
    </message>
    <message>
        <source>the permission&apos;s signature is not valid</source>
        <translation>授权签名无效</translation>
    </message>
    <message>
        <source>the permission&apos;s mode is not valid</source>
        <translation>授权的模式无效</translation>
    </message>
    <message>
        <source>the permission expired</source>
        <translation>授权已过期</translation>
    </message>
    <message>
        <source>the permission names another agent</source>
        <translation>授权对应的是其他坐席</translation>
    </message>
    <message>
        <source>the permission names another call</source>
        <translation>授权对应的是其他通话</translation>
    </message>
    <message>
        <source>the permission names another supervisor</source>
        <translation>授权对应的是其他督导</translation>
    </message>
    <message>
        <source>the permission was used already</source>
        <translation>授权已被使用过</translation>
    </message>
    <message>
        <source>the seat had not got the server&apos;s key</source>
        <translation>坐席尚未取得服务器密钥</translation>
    </message>
    <message>
        <source>ended by the supervisor</source>
        <translation>由督导结束</translation>
    </message>
    <message>
        <source>the call ended</source>
        <translation>通话已结束</translation>
    </message>
    <message>
        <source>the application closed</source>
        <translation>程序已关闭</translation>
    </message>
    <message>
        <source>the monitor call failed (%1)</source>
        <translation>监听呼叫失败（%1）</translation>
    </message>
    <message>
        <source>mode switch: %1</source>
        <translation>切换模式：%1</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Monitoring audit</source>
        <translation>监听审计</translation>
    </message>
    <message>
        <source>User name (who monitored or whom)</source>
        <translation>用户名（监听人或被监听人）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>至：</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <source>What</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>监听人</translation>
    </message>
    <message>
        <source>Whom</source>
        <translation>被监听人</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Modes</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>BoardController</name>
    <message>
        <source>Connecting to the live board…</source>
        <translation>正在连接实时监控…</translation>
    </message>
    <message>
        <source>Connection lost, reconnecting…</source>
        <translation>连接中断，正在重连…</translation>
    </message>
    <message>
        <source>Your session has ended: log in again to see the board.</source>
        <translation>登录已过期：请重新登录后查看监控。</translation>
    </message>
    <message>
        <source>The live board stopped: %1</source>
        <translation>实时监控已停止：%1</translation>
    </message>
    <message>
        <source>%1&apos;s seat has stopped reporting: nothing to monitor.</source>
        <translation>%1 的坐席已失去联系，无法监听。</translation>
    </message>
    <message>
        <source>%1 has no call to monitor.</source>
        <translation>%1 当前没有可监听的通话。</translation>
    </message>
</context>
<context>
    <name>BoardTableModel</name>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time in state</source>
        <translation>状态时长</translation>
    </message>
    <message>
        <source>Current call</source>
        <translation>当前通话</translation>
    </message>
    <message>
        <source>Call time</source>
        <translation>通话时长</translation>
    </message>
    <message>
        <source>Calls today</source>
        <translation>今日通话</translation>
    </message>
    <message>
        <source>Avg handling</source>
        <translation>平均处理</translation>
    </message>
    <message>
        <source>Wrap-up today</source>
        <translation>今日话后</translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation>（无班组）</translation>
    </message>
</context>
<context>
    <name>BoardView</name>
    <message>
        <source>All teams</source>
        <translation>全部班组</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Agent, number, queue…</source>
        <translation>坐席、号码、队列…</translation>
    </message>
    <message>
        <source>Team:</source>
        <translation>班组：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Monitoring audit…</source>
        <translation>监听审计…</translation>
    </message>
    <message>
        <source>Live board</source>
        <translation>实时监控</translation>
    </message>
    <message>
        <source>Total %1</source>
        <translation>共 %1</translation>
    </message>
</context>
<context>
    <name>CallCommands</name>
    <message>
        <source>No phone account: set one up in Settings &gt; Phone settings.</source>
        <translation>未配置话机账号：请在“设置 &gt; 话机设置”中添加。</translation>
    </message>
    <message>
        <source>Hold or end the current call before dialling.</source>
        <translation>请先保持或挂断当前通话再拨号。</translation>
    </message>
    <message>
        <source>Sent %1</source>
        <translation>已发送按键 %1</translation>
    </message>
    <message>
        <source>Offline: choose another state to take calls.</source>
        <translation>离线状态不能接听，请先切换坐席状态。</translation>
    </message>
    <message>
        <source>Type the number to transfer to in the number field first.</source>
        <translation>请先在号码框输入转接号码。</translation>
    </message>
</context>
<context>
    <name>CallHistory</name>
    <message>
        <source>Answered</source>
        <translation>已接通</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未接</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒接</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>忙</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Inbound</source>
        <translation>呼入</translation>
    </message>
    <message>
        <source>Outbound</source>
        <translation>呼出</translation>
    </message>
</context>
<context>
    <name>CallHistoryView</name>
    <message>
        <source>Recent calls — double-click or Enter to call back</source>
        <translation>最近通话 — 双击或按回车回拨</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>通话时长</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No calls yet.</source>
        <translation>暂无通话记录。</translation>
    </message>
</context>
<context>
    <name>CallPane</name>
    <message>
        <source>Earlier calls</source>
        <translation>历史来电</translation>
    </message>
    <message>
        <source>Call ended — wrap-up</source>
        <translation>通话已结束 — 话后处理</translation>
    </message>
    <message>
        <source>Looking up earlier calls…</source>
        <translation>正在查询历史来电…</translation>
    </message>
    <message>
        <source>No earlier calls from this number.</source>
        <translation>该号码无历史来电。</translation>
    </message>
</context>
<context>
    <name>CallbackPicker</name>
    <message>
        <source>Agree a callback</source>
        <translation>约定回拨时间</translation>
    </message>
    <message>
        <source>+4 hours</source>
        <translation>+4 小时</translation>
    </message>
    <message>
        <source>Tomorrow 10:00</source>
        <translation>明天 10:00</translation>
    </message>
    <message>
        <source>Day after 10:00</source>
        <translation>后天 10:00</translation>
    </message>
    <message>
        <source>Time (China time)</source>
        <translation>时间（北京时间）</translation>
    </message>
    <message>
        <source>%1 (moved into calling hours)</source>
        <translation>%1（已顺延至可呼叫时段）</translation>
    </message>
    <message>
        <source>No calling hours are left on this day.</source>
        <translation>当天已没有可呼叫时段。</translation>
    </message>
    <message>
        <source>No calls on this day (holiday or no calling hours).</source>
        <translation>当天不外呼（节假日或无呼叫时段）。</translation>
    </message>
    <message>
        <source>Callback at %1 (China time)</source>
        <translation>回拨时间：%1（北京时间）</translation>
    </message>
</context>
<context>
    <name>CampaignAdminController</name>
    <message>
        <source>all days</source>
        <translation>全部日期</translation>
    </message>
    <message>
        <source>Export the report</source>
        <translation>导出报表</translation>
    </message>
    <message>
        <source>Report saved to %1.</source>
        <translation>报表已保存到 %1。</translation>
    </message>
    <message>
        <source>Close the campaign</source>
        <translation>结束活动</translation>
    </message>
    <message>
        <source>Close “%1”? Agents get no more of its records; callbacks agreed are not made.</source>
        <translation>结束“%1”？坐席将不再领取其记录，已约定的回拨也不再进行。</translation>
    </message>
    <message>
        <source>“%1” is paused: agents get none of its records.</source>
        <translation>“%1”已暂停：坐席暂不领取其记录。</translation>
    </message>
    <message>
        <source>“%1” is active again.</source>
        <translation>“%1”已恢复。</translation>
    </message>
    <message>
        <source>“%1” is closed.</source>
        <translation>“%1”已结束。</translation>
    </message>
    <message>
        <source>Campaign “%1” created; import its list next.</source>
        <translation>外呼活动“%1”已创建，下一步请导入名单。</translation>
    </message>
    <message>
        <source>Campaign “%1” saved.</source>
        <translation>外呼活动“%1”已保存。</translation>
    </message>
    <message>
        <source>FAQ</source>
        <translation>常见问题</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>Complaint guide</source>
        <translation>投诉指引</translation>
    </message>
    <message>
        <source>(article %1 is not on this workstation)</source>
        <translation>（文章 %1 不在本机知识库中）</translation>
    </message>
    <message>
        <source>New survey</source>
        <translation>新建问卷</translation>
    </message>
    <message>
        <source>Edit survey</source>
        <translation>编辑问卷</translation>
    </message>
    <message>
        <source>Give the survey a name.</source>
        <translation>请填写问卷名称。</translation>
    </message>
    <message>
        <source>%1 records imported into “%2”.</source>
        <translation>已导入 %1 条记录到“%2”。</translation>
    </message>
    <message>
        <source>No phone number to add: %1</source>
        <translation>没有可添加的电话号码：%1</translation>
    </message>
    <message>
        <source>Paste or type the numbers first.</source>
        <translation>请先粘贴或输入号码。</translation>
    </message>
    <message numerus="yes">
        <source>%n number(s) added.</source>
        <translation>
            <numerusform>已添加 %n 个号码。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not phone numbers, left out: %1</source>
        <translation>以下不是电话号码，未添加：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n number(s) removed.</source>
        <translation>
            <numerusform>已删除 %n 个号码。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Calendar saved: %n day(s) set by the center.</source>
        <translation>
            <numerusform>日历已保存：中心设置了 %n 天。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CampaignAdminView</name>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Import list…</source>
        <translation>导入名单…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>End the campaign: agents get no more records</source>
        <translation>结束活动：坐席不再领取其记录</translation>
    </message>
    <message>
        <source>Do not call…</source>
        <translation>免打扰名单…</translation>
    </message>
    <message>
        <source>Holidays…</source>
        <translation>节假日…</translation>
    </message>
    <message>
        <source>Show closed</source>
        <translation>显示已结束</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Business line</source>
        <translation>业务线</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>名单</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Outbound campaigns</source>
        <translation>外呼活动</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
</context>
<context>
    <name>CampaignEditor</name>
    <message>
        <source>New campaign</source>
        <translation>新建外呼活动</translation>
    </message>
    <message>
        <source>Campaign “%1”</source>
        <translation>外呼活动“%1”</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Calling hours</source>
        <translation>拨打时间</translation>
    </message>
    <message>
        <source>Retries and callbacks</source>
        <translation>重拨与回拨</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>e.g. 2026 property satisfaction survey</source>
        <translation>例如：2026 年物业满意度回访</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>No script chosen</source>
        <translation>未选择话术</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Search the knowledge base by title…</source>
        <translation>按标题搜索知识库…</translation>
    </message>
    <message>
        <source>(no survey)</source>
        <translation>（无问卷）</translation>
    </message>
    <message>
        <source>New survey…</source>
        <translation>新建问卷…</translation>
    </message>
    <message>
        <source>Edit survey…</source>
        <translation>编辑问卷…</translation>
    </message>
    <message>
        <source>Hide the middle digits of numbers from agents</source>
        <translation>对坐席隐藏号码中间几位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Business line</source>
        <translation>业务线</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>问卷</translation>
    </message>
    <message>
        <source>China time. Several windows are separated by commas, e.g. 09:00-12:00, 13:30-20:00; leave a day empty for no calls. Statutory holidays are closed; working weekends (调休) use Monday&apos;s hours.</source>
        <translation>北京时间。多个时段用逗号分隔，例如 09:00-12:00, 13:30-20:00；留空表示当天不拨打。法定节假日不拨打；调休上班的周末按周一的时间拨打。</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>no calls</source>
        <translation>不拨打</translation>
    </message>
    <message>
        <source>Use Monday&apos;s hours Tuesday to Friday</source>
        <translation>周二至周五同周一</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Call again</source>
        <translation>重拨</translation>
    </message>
    <message>
        <source>After (minutes)</source>
        <translation>间隔（分钟）</translation>
    </message>
    <message>
        <source>At most (attempts)</source>
        <translation>最多（次）</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>“default”: the interval below for calls without an agreed time</source>
        <translation>“默认”：按下面“未约定时间时的重拨间隔”</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>A callback stays with the agent who agreed it</source>
        <translation>回拨留给约定的坐席</translation>
    </message>
    <message>
        <source>Open to any agent after</source>
        <translation>到期后转给任何坐席，延后</translation>
    </message>
    <message>
        <source>Attempts per record and day, at most</source>
        <translation>每条记录每天最多拨打</translation>
    </message>
    <message>
        <source>Call again after (no time agreed)</source>
        <translation>未约定时间时的重拨间隔</translation>
    </message>
    <message>
        <source>Give the campaign a name.</source>
        <translation>请填写活动名称。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>CampaignStatus</name>
    <message>
        <source>Active</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已结束</translation>
    </message>
</context>
<context>
    <name>CenterCodesController</name>
    <message>
        <source>Added.</source>
        <translation>已添加。</translation>
    </message>
    <message>
        <source>Order saved.</source>
        <translation>顺序已保存。</translation>
    </message>
    <message>
        <source>Reactivated.</source>
        <translation>已重新启用。</translation>
    </message>
    <message>
        <source>Deactivated.</source>
        <translation>已停用。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>CenterCodesDialog</name>
    <message>
        <source>Center codes</source>
        <translation>中心代码管理</translation>
    </message>
    <message>
        <source>Business lines</source>
        <translation>业务线</translation>
    </message>
    <message>
        <source>Knowledge categories</source>
        <translation>知识分类</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后小结</translation>
    </message>
    <message>
        <source>Not-ready reasons</source>
        <translation>未就绪原因</translation>
    </message>
    <message>
        <source>Outbound outcomes</source>
        <translation>外呼结果</translation>
    </message>
    <message>
        <source>These lists are the center&apos;s: every workstation offers them after its next sync. Nothing is deleted: a deactivated entry still names older records.</source>
        <translation>这些列表属于整个中心：各工作站下次同步后即按此提供。条目不会删除：已停用的条目仍用来显示旧记录的名称。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Choose a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <source>%1 must replace the password before using SeatDesk: it was generated, or an administrator asked for a new one.</source>
        <translation>%1 需要先修改密码才能使用坐席台：当前密码是系统生成的，或管理员要求更换。</translation>
    </message>
    <message>
        <source>At least %1 characters (spaces at either end do not count), and not the password you just logged in with.</source>
        <translation>至少 %1 个字符（首尾空格不计），且不能与刚才登录用的密码相同。</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Cancel and log out</source>
        <translation>取消并退出登录</translation>
    </message>
    <message>
        <source>The two passwords are not the same; type them again.</source>
        <translation>两次输入的密码不一致，请重新输入。</translation>
    </message>
    <message>
        <source>The new password needs at least %1 characters.</source>
        <translation>新密码至少 %1 个字符。</translation>
    </message>
</context>
<context>
    <name>CodeTab</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Chinese name</source>
        <translation>中文名</translation>
    </message>
    <message>
        <source>English name</source>
        <translation>英文名</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>e.g. 电信/宽带</source>
        <translation>例如 电信/宽带</translation>
    </message>
    <message>
        <source>letters, digits, _ or -</source>
        <translation>字母、数字、_ 或 -</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Save names</source>
        <translation>保存名称</translation>
    </message>
    <message>
        <source>A category&apos;s code is its path. Paths articles use are added by themselves; a deactivated one is refused for new articles.</source>
        <translation>分类的代码就是它的路径。文章用到的新路径会自动加入；已停用的分类不能用于新文章。</translation>
    </message>
    <message>
        <source>In use, not listed yet</source>
        <translation>在用，尚未登记</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>built-in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>重新启用</translation>
    </message>
</context>
<context>
    <name>ConflictController</name>
    <message>
        <source>No conflict to settle.</source>
        <translation>没有需要处理的冲突。</translation>
    </message>
    <message>
        <source>“%1” was changed and published while you were editing it (now version %2). Changes that do not overlap are merged already; settle the highlighted conflicts below, then submit again.</source>
        <translation>您编辑期间，“%1”已被他人修改并发布（现为第 %2 版）。不重叠的修改已自动合并；请处理下面标出的冲突，然后重新提交。</translation>
    </message>
    <message>
        <source>%1: yours “%2” is kept; published meanwhile: “%3”.</source>
        <translation>%1：保留了您的“%2”；他人发布的是“%3”。</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Business line</source>
        <translation>业务线</translation>
    </message>
    <message>
        <source>Contact point</source>
        <translation>接触点</translation>
    </message>
    <message>
        <source>Review by</source>
        <translation>复审日期</translation>
    </message>
    <message>
        <source>Submitted again, based on the current version.</source>
        <translation>已基于当前版本重新提交。</translation>
    </message>
    <message>
        <source>The merged article was submitted for approval.</source>
        <translation>合并后的文章已提交审批。</translation>
    </message>
</context>
<context>
    <name>ConflictView</name>
    <message>
        <source>Base (where you started)</source>
        <translation>基础版本（您开始编辑时）</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Theirs (published meanwhile)</source>
        <translation>他人的（期间已发布）</translation>
    </message>
    <message>
        <source>Merged — edit here</source>
        <translation>合并结果 —— 在此编辑</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ 上一处</translation>
    </message>
    <message>
        <source>Previous conflict (Alt+Up)</source>
        <translation>上一处冲突（Alt+上）</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一处 ▶</translation>
    </message>
    <message>
        <source>Next conflict (Alt+Down)</source>
        <translation>下一处冲突（Alt+下）</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>Keep theirs</source>
        <translation>保留他人的</translation>
    </message>
    <message>
        <source>Keep both</source>
        <translation>两者都保留</translation>
    </message>
    <message>
        <source>Submit again</source>
        <translation>重新提交</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) left</source>
        <translation>
            <numerusform>还有 %n 处冲突</numerusform>
        </translation>
    </message>
    <message>
        <source>No conflicts left</source>
        <translation>冲突已全部处理</translation>
    </message>
</context>
<context>
    <name>CrashReportDialog</name>
    <message>
        <source>SeatDesk closed unexpectedly</source>
        <translation>坐席台上次意外关闭</translation>
    </message>
    <message>
        <source>SeatDesk did not close normally last time. The end of its log is below; please send the log file to your IT support.</source>
        <translation>坐席台上次没有正常关闭。下面是日志的最后部分；请把日志文件发给贵中心的 IT 支持人员。</translation>
    </message>
    <message>
        <source>(the log is empty)</source>
        <translation>（日志为空）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Open the log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
</context>
<context>
    <name>DailyChart</name>
    <message>
        <source>Attempts</source>
        <translation>拨打</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>接通</translation>
    </message>
    <message>
        <source>Successes</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>No attempts yet</source>
        <translation>尚无拨打记录</translation>
    </message>
</context>
<context>
    <name>DialogFeedback</name>
    <message>
        <source>Copy my text</source>
        <translation>复制我的内容</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>DncDialog</name>
    <message>
        <source>Do-not-call numbers</source>
        <translation>免打扰名单</translation>
    </message>
    <message>
        <source>Global (every campaign)</source>
        <translation>全局（所有活动）</translation>
    </message>
    <message>
        <source>Campaign “%1”</source>
        <translation>活动“%1”</translation>
    </message>
    <message>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>One number per line; a column copied from a spreadsheet works too.</source>
        <translation>每行一个号码；也可粘贴从表格复制的一列。</translation>
    </message>
    <message>
        <source>Reason (optional), e.g. the customer asked</source>
        <translation>原因（可选），例如：客户要求</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add numbers</source>
        <translation>添加号码</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <source>%n number(s)</source>
        <translation>
            <numerusform>%n 个号码</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EditorWindow</name>
    <message>
        <source>Authoring — SeatDesk</source>
        <translation>知识编写 — 坐席台</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Surveys</source>
        <translation>问卷</translation>
    </message>
</context>
<context>
    <name>EditorWindowController</name>
    <message>
        <source>The article is not on this computer (yet).</source>
        <translation>这篇文章还没有同步到本机。</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>Your session has ended: log in again (File ▸ Log in…).</source>
        <translation>登录已过期：请重新登录（文件 ▸ 登录…）。</translation>
    </message>
    <message>
        <source>The server cannot be reached; nothing was sent. Try again in a moment.</source>
        <translation>无法连接服务器，内容未发送。请稍后再试。</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出错了：%1</translation>
    </message>
    <message>
        <source>%1 answered this question first:</source>
        <translation>%1 已先答复了这个问题：</translation>
    </message>
    <message>
        <source>This question was rejected meanwhile: %1</source>
        <translation>该问题已被驳回：%1</translation>
    </message>
    <message>
        <source>This question was merged into a similar one meanwhile.</source>
        <translation>该问题已被合并到相似问题。</translation>
    </message>
    <message>
        <source>%1 has claimed this question.</source>
        <translation>%1 已认领该问题。</translation>
    </message>
    <message>
        <source>Someone changed this question since you opened it.</source>
        <translation>您打开后，该问题已被他人更改。</translation>
    </message>
    <message>
        <source>Your text is kept here; “Copy my text” puts it on the clipboard.</source>
        <translation>您输入的内容仍保留在此；点击“复制我的内容”可复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>HistoryController</name>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Aliases</source>
        <translation>别名</translation>
    </message>
    <message>
        <source>Business line</source>
        <translation>业务线</translation>
    </message>
    <message>
        <source>Contact point</source>
        <translation>接触点</translation>
    </message>
    <message>
        <source>Review by</source>
        <translation>复审日期</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>The history is kept on the server: log in to see it.</source>
        <translation>历史版本保存在服务器上：登录后才能查看。</translation>
    </message>
    <message>
        <source>Loading the history…</source>
        <translation>正在读取历史版本…</translation>
    </message>
    <message numerus="yes">
        <source>History of “%1” (%n version(s))</source>
        <translation>
            <numerusform>“%1”的历史（%n 个版本）</numerusform>
        </translation>
    </message>
    <message>
        <source>The two versions are the same.</source>
        <translation>两个版本相同。</translation>
    </message>
    <message>
        <source>A new draft holds the old version; check it and submit it.</source>
        <translation>旧版本的内容已放入新草稿；请检查后提交。</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Restore this version</source>
        <translation>恢复此版本</translation>
    </message>
    <message>
        <source>A new draft with this version&apos;s content, based on the current version</source>
        <translation>以当前版本为基础，新建一份内容为此版本的草稿</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>with</source>
        <translation>与</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>第 %1 版</translation>
    </message>
</context>
<context>
    <name>HolidayDialog</name>
    <message>
        <source>Holidays and working days</source>
        <translation>节假日与调休</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>Working day</source>
        <translation>上班</translation>
    </message>
    <message>
        <source>Statutory holidays and working weekends (调休) are known already. Add the center&apos;s own: a day without calls, or a day called with Monday&apos;s hours.</source>
        <translation>法定节假日和调休上班日已内置。这里添加中心自己的安排：不拨打的日子，或按周一时间拨打的日子。</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Note, e.g. typhoon</source>
        <translation>备注，例如：台风</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>IncomingCallBanner</name>
    <message>
        <source>Call waiting</source>
        <translation>来电等待</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Queue: %1</source>
        <translation>队列：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n more ringing</source>
        <translation>
            <numerusform>另有 %n 通来电</numerusform>
        </translation>
    </message>
    <message>
        <source>Looking up past calls…</source>
        <translation>正在查询历史来电…</translation>
    </message>
    <message>
        <source>No earlier calls from this number.</source>
        <translation>该号码无历史来电。</translation>
    </message>
    <message numerus="yes">
        <source>%n earlier call(s):</source>
        <translation>
            <numerusform>历史来电 %n 次：</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KbPane</name>
    <message>
        <source>Knowledge base</source>
        <translation>知识库</translation>
    </message>
    <message>
        <source>Search the knowledge base (Ctrl+K)…</source>
        <translation>搜索知识库（Ctrl+K）…</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>没找到答案</translation>
    </message>
    <message>
        <source>Record this question for the business supervisor (Ctrl+N)</source>
        <translation>记录此问题，转给业务主管（Ctrl+N）</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All business lines</source>
        <translation>全部业务线</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <source>Loading the knowledge base…</source>
        <translation>正在加载知识库…</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) (simple search while the index is rebuilt)</source>
        <translation>
            <numerusform>%n 条结果（索引重建中，暂用简易搜索）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n 条结果</numerusform>
        </translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <source>Question recorded; it goes to the business supervisor.</source>
        <translation>问题已记录，将转给业务主管。</translation>
    </message>
</context>
<context>
    <name>ListImportController</name>
    <message>
        <source>Choose the list to import</source>
        <translation>选择要导入的名单</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>The file cannot be read: %1</source>
        <translation>无法读取文件：%1</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <source>Report saved to %1.</source>
        <translation>报告已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>ListImportDialog</name>
    <message>
        <source>Import a list into “%1”</source>
        <translation>导入名单到“%1”</translation>
    </message>
    <message>
        <source>A CSV (UTF-8 or GB18030) or XLSX file</source>
        <translation>CSV（UTF-8 或 GB18030）或 XLSX 文件</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Choose the file to import; nothing is imported before you confirm.</source>
        <translation>请选择要导入的文件；确认之前不会导入任何数据。</translation>
    </message>
    <message>
        <source>Columns and first rows</source>
        <translation>列映射与前几行</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Not imported because</source>
        <translation>未导入原因</translation>
    </message>
    <message>
        <source>What the import does</source>
        <translation>导入结果</translation>
    </message>
    <message>
        <source>Preview again</source>
        <translation>重新预览</translation>
    </message>
    <message>
        <source>Check the file again with the columns as chosen</source>
        <translation>按所选的列映射重新检查文件</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Save report…</source>
        <translation>保存报告…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Use as</source>
        <translation>用作</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Custom field</source>
        <translation>自定义字段</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>The columns changed: preview again to see what the import will do.</source>
        <translation>列映射已更改：请重新预览，查看导入结果。</translation>
    </message>
    <message>
        <source>Imported: %1 records are in the campaign now.</source>
        <translation>导入完成：%1 条记录已加入活动。</translation>
    </message>
    <message>
        <source>Import report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <source>What the import would do</source>
        <translation>预览：导入后的结果</translation>
    </message>
    <message>
        <source>Rows: %1. Imported: %2, rejected: %3, duplicates: %4, do not call: %5.</source>
        <translation>共 %1 行：导入 %2 行，拒绝 %3 行，重复 %4 行，免打扰 %5 行。</translation>
    </message>
    <message>
        <source>Rows: %1. To import: %2, rejected: %3, duplicates: %4, do not call: %5.</source>
        <translation>共 %1 行：可导入 %2 行，拒绝 %3 行，重复 %4 行，免打扰 %5 行。</translation>
    </message>
    <message>
        <source>Check the columns and the rows below, then import.</source>
        <translation>请核对下面的列映射和各行，然后导入。</translation>
    </message>
    <message>
        <source>No row of this file can be imported as the columns are mapped.</source>
        <translation>按当前列映射，此文件没有可导入的行。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in to SeatDesk</source>
        <translation>登录坐席台</translation>
    </message>
    <message>
        <source>Empty: the built-in service on this computer</source>
        <translation>留空 = 本机内置服务</translation>
    </message>
    <message>
        <source>Remember password</source>
        <translation>记住密码</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不登录</translation>
    </message>
    <message>
        <source>Keep working without logging in; questions wait in the outbox.</source>
        <translation>不登录也可继续工作；记录的问题会保存在待发送队列中。</translation>
    </message>
    <message>
        <source>Remember user name</source>
        <translation>记住用户名</translation>
    </message>
    <message>
        <source>This computer has no secure password store, so only the user name is remembered; the password is asked for at each start.</source>
        <translation>本机没有安全的密码存储，因此只记住用户名；每次启动时需要输入密码。</translation>
    </message>
    <message>
        <source>The built-in service has just been set up. Demo users: %1; their password: %2. The administrator&apos;s password is in %3.</source>
        <translation>本机内置服务已初始化。演示账号：%1；密码：%2。管理员密码见 %3。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>SeatDesk</source>
        <translation>坐席台</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话条</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Log in…</source>
        <translation>登录(&amp;L)…</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Panes</source>
        <translation>窗格</translation>
    </message>
    <message>
        <source>Reset the layout</source>
        <translation>恢复默认布局</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言 Language</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Phone settings…</source>
        <translation>话机设置(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Center codes…</source>
        <translation>中心代码管理(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Teams…</source>
        <translation>班组管理(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About SeatDesk</source>
        <translation>关于坐席台</translation>
    </message>
    <message>
        <source>The language changes when SeatDesk starts next.</source>
        <translation>语言将在下次启动坐席台时生效。</translation>
    </message>
    <message>
        <source>SeatDesk — a workstation for hotline and call-center staff.</source>
        <translation>坐席台——热线与呼叫中心座席工作台。</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Logged in as %1.</source>
        <translation>已登录：%1。</translation>
    </message>
    <message numerus="yes">
        <source>My questions (%n)</source>
        <translation>
            <numerusform>我的问题（%n）</numerusform>
        </translation>
    </message>
    <message>
        <source>My questions</source>
        <translation>我的问题</translation>
    </message>
    <message>
        <source>Question queue</source>
        <translation>问题队列</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) received</source>
        <translation>
            <numerusform>收到 %n 条答复</numerusform>
        </translation>
    </message>
    <message>
        <source>Opening the knowledge base…</source>
        <translation>正在打开知识库…</translation>
    </message>
    <message>
        <source>Knowledge base ready</source>
        <translation>知识库已就绪</translation>
    </message>
    <message>
        <source>Rebuilding the search index…</source>
        <translation>正在重建搜索索引…</translation>
    </message>
    <message>
        <source>Search index could not be built; using simple search</source>
        <translation>搜索索引无法建立，暂用简易搜索</translation>
    </message>
</context>
<context>
    <name>MakeArticleDialog</name>
    <message>
        <source>Make an article from the question</source>
        <translation>由问题生成文章</translation>
    </message>
    <message>
        <source>The answer, in Markdown; it is also sent to the agent who asked</source>
        <translation>答复内容（Markdown），同时发送给提问的坐席</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>e.g. 电信/宽带</source>
        <translation>例如 电信/宽带</translation>
    </message>
    <message>
        <source>Publish at once (agents can find it)</source>
        <translation>直接发布（坐席即可检索到）</translation>
    </message>
    <message>
        <source>Sent to a manager for review; agents find it once it is approved.</source>
        <translation>提交经理审核，批准后坐席即可检索到。</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Business line</source>
        <translation>业务线</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Create article</source>
        <translation>生成文章</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Create article only</source>
        <translation>仅生成文章</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge similar questions</source>
        <translation>合并相似问题</translation>
    </message>
    <message>
        <source>The other questions are merged into the one kept: answering it answers them all.</source>
        <translation>其余问题将合并到保留的问题：答复它即同时答复全部。</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Keep this question:</source>
        <translation>保留此问题：</translation>
    </message>
</context>
<context>
    <name>MonitorBar</name>
    <message>
        <source>Listen</source>
        <translation>监听</translation>
    </message>
    <message>
        <source>Whisper</source>
        <translation>耳语</translation>
    </message>
    <message>
        <source>Barge in</source>
        <translation>强插</translation>
    </message>
    <message>
        <source>You hear the customer and the agent; nobody hears you.</source>
        <translation>您听到客户和坐席，他们都听不到您。</translation>
    </message>
    <message>
        <source>The agent hears you; the customer does not.</source>
        <translation>坐席能听到您，客户听不到。</translation>
    </message>
    <message>
        <source>Everyone hears everyone.</source>
        <translation>三方互相都能听到。</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>End monitoring (%1)</source>
        <translation>结束监听（%1）</translation>
    </message>
</context>
<context>
    <name>MonitorController</name>
    <message>
        <source>End the current monitoring first.</source>
        <translation>请先结束当前的监听。</translation>
    </message>
    <message>
        <source>The phone is not running: monitoring needs it.</source>
        <translation>软电话未运行：监听需要软电话。</translation>
    </message>
    <message>
        <source>Asking the server for permission…</source>
        <translation>正在向服务器申请授权…</translation>
    </message>
    <message>
        <source>Calling the agent&apos;s seat…</source>
        <translation>正在呼叫坐席…</translation>
    </message>
    <message>
        <source>Monitoring refused: %1</source>
        <translation>监听被拒绝：%1</translation>
    </message>
    <message>
        <source>Switch refused: %1</source>
        <translation>切换被拒绝：%1</translation>
    </message>
    <message>
        <source>The agent&apos;s seat refused the switch (%1).</source>
        <translation>坐席拒绝了模式切换（%1）。</translation>
    </message>
    <message>
        <source>the permission expired</source>
        <translation>授权已过期</translation>
    </message>
    <message>
        <source>that call is no longer up</source>
        <translation>该通话已结束</translation>
    </message>
    <message>
        <source>the permission names another agent</source>
        <translation>授权对应的是其他坐席</translation>
    </message>
    <message>
        <source>the permission names another supervisor</source>
        <translation>授权对应的是其他班长</translation>
    </message>
    <message>
        <source>the permission&apos;s signature is not valid</source>
        <translation>授权签名无效</translation>
    </message>
    <message>
        <source>the permission was used already</source>
        <translation>授权已被使用过</translation>
    </message>
    <message>
        <source>the seat has not got the server&apos;s key yet</source>
        <translation>坐席尚未取得服务器公钥</translation>
    </message>
    <message>
        <source>The agent&apos;s seat refused the monitor call (403).</source>
        <translation>坐席拒绝了监听呼叫（403）。</translation>
    </message>
    <message>
        <source>The agent&apos;s seat cannot be reached (%1).</source>
        <translation>无法连接到坐席（%1）。</translation>
    </message>
    <message>
        <source>The monitor call failed (%1).</source>
        <translation>监听呼叫失败（%1）。</translation>
    </message>
    <message>
        <source>The agent&apos;s call ended; monitoring ended with it.</source>
        <translation>坐席的通话已结束，监听随之结束。</translation>
    </message>
    <message>
        <source>Monitoring ended.</source>
        <translation>监听已结束。</translation>
    </message>
    <message>
        <source>Listening to %1</source>
        <translation>正在监听 %1</translation>
    </message>
    <message>
        <source>Whispering to %1</source>
        <translation>正在向 %1 耳语</translation>
    </message>
    <message>
        <source>Barged in on %1</source>
        <translation>已强插 %1 的通话</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
</context>
<context>
    <name>MyQuestionsController</name>
    <message>
        <source>The article has not reached this computer yet; try again in a moment.</source>
        <translation>该文章尚未同步到本机，请稍后再试。</translation>
    </message>
</context>
<context>
    <name>MyQuestionsView</name>
    <message>
        <source>Questions you recorded with “Not answered”; the supervisor&apos;s answers appear here.</source>
        <translation>您通过“没找到答案”记录的问题；业务主管的答复会显示在这里。</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Open the article</source>
        <translation>打开文章</translation>
    </message>
    <message>
        <source>Show the article this answer became in the KB pane</source>
        <translation>在知识库窗格中显示由该答复生成的文章</translation>
    </message>
    <message>
        <source>No question selected.</source>
        <translation>未选择问题。</translation>
    </message>
    <message>
        <source>No questions yet.</source>
        <translation>还没有记录问题。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Answer from %1, %2</source>
        <translation>%1 的答复，%2</translation>
    </message>
    <message>
        <source>Reason for rejecting</source>
        <translation>驳回原因</translation>
    </message>
    <message>
        <source>Merged with a similar question; its answer comes here.</source>
        <translation>已与相似问题合并；其答复会显示在这里。</translation>
    </message>
    <message>
        <source>This answer is in the knowledge base: “Open the article”.</source>
        <translation>该答复已收入知识库：点击“打开文章”。</translation>
    </message>
</context>
<context>
    <name>NotHelpfulDialog</name>
    <message>
        <source>Not helpful</source>
        <translation>没帮助</translation>
    </message>
    <message>
        <source>Why was “%1” not helpful? (optional)</source>
        <translation>“%1”为什么没帮助？（可不填）</translation>
    </message>
    <message>
        <source>Enter sends, Esc skips</source>
        <translation>回车发送，Esc 跳过</translation>
    </message>
    <message>
        <source>Out of date</source>
        <translation>内容过时</translation>
    </message>
    <message>
        <source>Wrong answer</source>
        <translation>答案不对</translation>
    </message>
    <message>
        <source>Does not cover the case</source>
        <translation>没覆盖这种情况</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
</context>
<context>
    <name>PhoneBar</name>
    <message>
        <source>Number to dial</source>
        <translation>输入号码</translation>
    </message>
    <message>
        <source>Dial</source>
        <translation>拨号</translation>
    </message>
    <message>
        <source>More »</source>
        <translation>更多 »</translation>
    </message>
    <message>
        <source>The call controls that do not fit the window</source>
        <translation>窗口放不下的通话按钮</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>接听</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒接</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>保持</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>Consult</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Conference</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录音</translation>
    </message>
    <message>
        <source>Enter a number</source>
        <translation>输入号码</translation>
    </message>
    <message>
        <source>Keypad</source>
        <translation>拨号盘</translation>
    </message>
    <message>
        <source>Ready / Not ready</source>
        <translation>就绪 / 未就绪</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>录音中</translation>
    </message>
    <message>
        <source>Complete transfer</source>
        <translation>完成转接</translation>
    </message>
    <message>
        <source>set up…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Click for the phone settings</source>
        <translation>点击打开话机设置</translation>
    </message>
    <message>
        <source>No call</source>
        <translation>无通话</translation>
    </message>
</context>
<context>
    <name>PhoneController</name>
    <message>
        <source>Digit received: %1</source>
        <translation>收到按键：%1</translation>
    </message>
    <message>
        <source>The phone could not start.</source>
        <translation>话机无法启动。</translation>
    </message>
    <message>
        <source>Call waiting</source>
        <translation>来电等待</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Call and customer</source>
        <translation>通话与客户</translation>
    </message>
    <message>
        <source>On a call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>No phone account</source>
        <translation>未配置话机</translation>
    </message>
    <message>
        <source>Starting the phone…</source>
        <translation>话机启动中…</translation>
    </message>
    <message>
        <source>Registering %1…</source>
        <translation>正在注册 %1…</translation>
    </message>
    <message>
        <source>Registered %1</source>
        <translation>已注册 %1</translation>
    </message>
    <message>
        <source>Not registered</source>
        <translation>未注册</translation>
    </message>
    <message>
        <source>Call history</source>
        <translation>通话记录</translation>
    </message>
    <message>
        <source>No secure password store here: the password is used until SeatDesk closes.</source>
        <translation>本机没有安全的密码存储：密码仅在本次运行中使用。</translation>
    </message>
    <message>
        <source>The new phone settings apply when the current calls end.</source>
        <translation>新的话机设置将在当前通话结束后生效。</translation>
    </message>
</context>
<context>
    <name>PhoneSettingsDialog</name>
    <message>
        <source>Phone settings</source>
        <translation>话机设置</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>通话</translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Codecs</source>
        <translation>编解码</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Make default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <source>Same as the user</source>
        <translation>与用户名相同</translation>
    </message>
    <message>
        <source>Use ICE</source>
        <translation>使用 ICE</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>User / extension</source>
        <translation>用户名 / 分机号</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>域</translation>
    </message>
    <message>
        <source>Auth user</source>
        <translation>认证用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Stored password</source>
        <translation>存储的密码</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>传输协议</translation>
    </message>
    <message>
        <source>Outbound proxy</source>
        <translation>出站代理</translation>
    </message>
    <message>
        <source>STUN servers</source>
        <translation>STUN 服务器</translation>
    </message>
    <message>
        <source>Registration expiry</source>
        <translation>注册有效期</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored password</source>
        <translation>留空则保留已存储的密码</translation>
    </message>
    <message>
        <source>New password, saved with these settings</source>
        <translation>新密码，随设置一起保存</translation>
    </message>
    <message>
        <source>Not saved: used until SeatDesk closes</source>
        <translation>未保存：在坐席台关闭前有效</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Refresh devices</source>
        <translation>刷新设备</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Speaker / headset</source>
        <translation>扬声器 / 耳机</translation>
    </message>
    <message>
        <source>Ringer</source>
        <translation>振铃设备</translation>
    </message>
    <message>
        <source>The phone is not running: devices are listed once it starts.</source>
        <translation>话机未运行：启动后才能列出设备。</translation>
    </message>
    <message>
        <source>No sound device found: calls connect without sound.</source>
        <translation>未找到声卡：通话将没有声音。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Same as the speaker</source>
        <translation>与扬声器相同</translation>
    </message>
    <message>
        <source>%1 (not connected)</source>
        <translation>%1（未连接）</translation>
    </message>
    <message>
        <source>Answer calls automatically</source>
        <translation>自动接听来电</translation>
    </message>
    <message>
        <source>Answer when the server asks (intercom, answer-after)</source>
        <translation>服务器要求时自动接听（对讲、answer-after）</translation>
    </message>
    <message>
        <source>Wrap-up after each connected call</source>
        <translation>每通接通的电话后进行话后处理</translation>
    </message>
    <message>
        <source>When the agent presses Record</source>
        <translation>坐席按“录音”时录音</translation>
    </message>
    <message>
        <source>Every call, from the answer</source>
        <translation>全程录音（接通即录）</translation>
    </message>
    <message>
        <source>The data folder&apos;s &apos;recordings&apos;</source>
        <translation>数据目录下的 recordings</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Auto-answer</source>
        <translation>自动接听</translation>
    </message>
    <message>
        <source>After</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Wrap-up time</source>
        <translation>话后处理时长</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>录音</translation>
    </message>
    <message>
        <source>Recordings folder</source>
        <translation>录音文件夹</translation>
    </message>
    <message>
        <source>Public CAs (for a center&apos;s own CA, pick its file)</source>
        <translation>公共根证书（如中心自有 CA，请选择其证书文件）</translation>
    </message>
    <message>
        <source>Refuse servers whose certificate does not verify</source>
        <translation>拒绝证书无法验证的服务器</translation>
    </message>
    <message>
        <source>TLS CA certificates</source>
        <translation>TLS 根证书</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt)</source>
        <translation>证书文件 (*.pem *.crt)</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>接听</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Hold / resume</source>
        <translation>保持 / 恢复</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>Consult / complete transfer</source>
        <translation>咨询 / 完成转接</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒接</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Every enabled account needs a user and a domain.</source>
        <translation>每个启用的账号都需要填写用户名和域。</translation>
    </message>
    <message>
        <source>Choose at least one codec.</source>
        <translation>请至少选择一种编解码。</translation>
    </message>
    <message>
        <source>These shortcuts are the same keys: %1</source>
        <translation>以下快捷键重复：%1</translation>
    </message>
    <message>
        <source>Phone password</source>
        <translation>话机密码</translation>
    </message>
    <message>
        <source>This computer has no secure password store, so the phone&apos;s password is not kept.
Enter the password of %1 (used until SeatDesk closes):</source>
        <translation>这台电脑没有安全的密码存储，话机密码不会被保存。
请输入 %1 的密码（在坐席台关闭前有效）：</translation>
    </message>
</context>
<context>
    <name>PhoneTexts</name>
    <message>
        <source>Incoming call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Calling…</source>
        <translation>正在呼叫…</translation>
    </message>
    <message>
        <source>Ringing…</source>
        <translation>对方振铃…</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>保持中</translation>
    </message>
    <message>
        <source>Conference</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Held by the other side</source>
        <translation>对方已保持</translation>
    </message>
    <message>
        <source>Talking</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>The phone is not registered: the state stays Offline.</source>
        <translation>话机未注册，状态保持为离线。</translation>
    </message>
    <message>
        <source>Not during a call.</source>
        <translation>通话中不能这样做。</translation>
    </message>
    <message>
        <source>Choose a reason from the list.</source>
        <translation>请从列表中选择原因。</translation>
    </message>
    <message>
        <source>There is no wrap-up in progress.</source>
        <translation>当前没有进行中的话后处理。</translation>
    </message>
    <message>
        <source>That is not possible now.</source>
        <translation>现在不能这样做。</translation>
    </message>
</context>
<context>
    <name>ProgressView</name>
    <message>
        <source>Select a campaign to see its progress.</source>
        <translation>选择一个活动查看进度。</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>名单</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>拨打</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>接通</translation>
    </message>
    <message>
        <source>Successes</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>每日进度</translation>
    </message>
    <message>
        <source>Feedback report</source>
        <translation>反馈报表</translation>
    </message>
    <message>
        <source>All days</source>
        <translation>全部日期</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Contact rate</source>
        <translation>接通率</translation>
    </message>
    <message>
        <source>Success rate</source>
        <translation>成功率</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>All agents</source>
        <translation>全部坐席</translation>
    </message>
</context>
<context>
    <name>QuestionQueueView</name>
    <message>
        <source>Questions</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Similar questions</source>
        <translation>相似问题</translation>
    </message>
    <message>
        <source>Searches without results</source>
        <translation>无结果搜索</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All business lines</source>
        <translation>全部业务线</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>From</source>
        <translation>日期从</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <source>Business line</source>
        <translation>业务线</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>认领</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>答复…</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>Merge…</source>
        <translation>合并…</translation>
    </message>
    <message>
        <source>Select two or more similar questions to merge them</source>
        <translation>选中两个或以上相似问题即可合并</translation>
    </message>
    <message>
        <source>Make article…</source>
        <translation>生成文章…</translation>
    </message>
    <message>
        <source>Merge this group…</source>
        <translation>合并本组…</translation>
    </message>
    <message>
        <source>Open questions that ask the same thing: merge them, then answer once.</source>
        <translation>内容相近的待处理问题：先合并，再统一答复一次。</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索词</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>坐席数</translation>
    </message>
    <message>
        <source>Last time</source>
        <translation>最近时间</translation>
    </message>
    <message>
        <source>What agents searched for and found nothing: the articles most needed.</source>
        <translation>坐席搜索却没有结果的内容：最需要补充的文章。</translation>
    </message>
    <message numerus="yes">
        <source>%n question(s)</source>
        <translation>
            <numerusform>共 %n 个问题</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n question(s))</source>
        <translation>
            <numerusform>%1（%n 个问题）</numerusform>
        </translation>
    </message>
    <message>
        <source>No similar open questions just now.</source>
        <translation>目前没有相似的待处理问题。</translation>
    </message>
    <message>
        <source>Only supervisors, trainers and managers write articles</source>
        <translation>只有业务主管、培训师和经理可以编写文章</translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) selected: “Merge…” keeps one of them.</source>
        <translation>
            <numerusform>已选中 %n 个问题：“合并…”将保留其中一个。</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a question to see it in full.</source>
        <translation>选中一个问题以查看详情。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Claimed by</source>
        <translation>认领人</translation>
    </message>
    <message>
        <source>Answer from %1</source>
        <translation>%1 的答复</translation>
    </message>
    <message>
        <source>Reason for rejecting</source>
        <translation>驳回原因</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>文章</translation>
    </message>
</context>
<context>
    <name>QuestionStatus</name>
    <message>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>已认领</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已答复</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
</context>
<context>
    <name>QueueController</name>
    <message>
        <source>You claimed “%1”.</source>
        <translation>您已认领“%1”。</translation>
    </message>
    <message>
        <source>Answer sent to %1.</source>
        <translation>答复已发送给 %1。</translation>
    </message>
    <message>
        <source>Rejected; %1 is told why.</source>
        <translation>已驳回，并已告知 %1 原因。</translation>
    </message>
    <message>
        <source>The question changed meanwhile; check it and send again.</source>
        <translation>问题刚刚有变化，请确认后重新发送。</translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) merged.</source>
        <translation>
            <numerusform>已合并 %n 个问题。</numerusform>
        </translation>
    </message>
    <message>
        <source>Article “%1” published; the agent has the answer.</source>
        <translation>文章“%1”已发布，坐席已收到答复。</translation>
    </message>
    <message>
        <source>Article “%1” sent to a manager for review; the agent has the answer.</source>
        <translation>文章“%1”已提交经理审核，坐席已收到答复。</translation>
    </message>
    <message>
        <source>“Create article only” creates the article without answering.</source>
        <translation>点击“仅生成文章”可只生成文章而不答复。</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <source>Reject the question</source>
        <translation>驳回问题</translation>
    </message>
    <message>
        <source>Why: e.g. already answered by an article, not our business line</source>
        <translation>原因：例如已有文章解答、不属于本业务线</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Return to the author</source>
        <translation>退回给作者</translation>
    </message>
    <message>
        <source>Why is “%1” returned? The author sees this.</source>
        <translation>为什么退回“%1”？作者会看到这条意见。</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Write a comment for the author.</source>
        <translation>请填写给作者的意见。</translation>
    </message>
</context>
<context>
    <name>Reminders</name>
    <message>
        <source>Callback due: %1 (%2)</source>
        <translation>回拨时间到：%1（%2）</translation>
    </message>
    <message>
        <source>Callback due</source>
        <translation>回拨提醒</translation>
    </message>
</context>
<context>
    <name>ReviewQueueController</name>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Business line</source>
        <translation>业务线</translation>
    </message>
    <message>
        <source>Contact point</source>
        <translation>接触点</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Aliases</source>
        <translation>别名</translation>
    </message>
    <message>
        <source>Review by</source>
        <translation>复审日期</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Approved and published; agents get it at their next sync.</source>
        <translation>已批准并发布；坐席下次同步后即可看到。</translation>
    </message>
    <message>
        <source>The article was changed by someone else; the author must merge and submit again.</source>
        <translation>文章已被他人修改，请作者合并后重新提交</translation>
    </message>
    <message>
        <source>Returned to the author with your comment.</source>
        <translation>已连同您的意见退回给作者。</translation>
    </message>
    <message>
        <source>“%1” retired; workstations remove it at their next sync.</source>
        <translation>“%1”已停用；各工作站下次同步时移除。</translation>
    </message>
</context>
<context>
    <name>ReviewQueueView</name>
    <message>
        <source>Review queue</source>
        <translation>审核队列</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Approve and publish</source>
        <translation>批准并发布</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Retire article…</source>
        <translation>停用文章…</translation>
    </message>
    <message>
        <source>Withdraw the published article from every workstation</source>
        <translation>从所有工作站撤下这篇已发布的文章</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新建</translation>
    </message>
    <message numerus="yes">
        <source>%n proposal(s) waiting</source>
        <translation>
            <numerusform>%n 条待审核</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a proposal to review it.</source>
        <translation>选择一条提交进行审核。</translation>
    </message>
    <message>
        <source>new article</source>
        <translation>新文章</translation>
    </message>
    <message>
        <source>based on version %1</source>
        <translation>基于第 %1 版</translation>
    </message>
    <message>
        <source>published now: version %1</source>
        <translation>当前发布：第 %1 版</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>说明：%1</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <source>Proposed</source>
        <translation>提交的修改</translation>
    </message>
    <message>
        <source>Retire article</source>
        <translation>停用文章</translation>
    </message>
    <message>
        <source>Retire “%1”? Agents no longer find it; every workstation removes it at its next sync.</source>
        <translation>停用“%1”？坐席将无法再搜到它；各工作站下次同步时移除。</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>Agent</source>
        <translation>座席代表</translation>
    </message>
    <message>
        <source>Team leader</source>
        <translation>班长</translation>
    </message>
    <message>
        <source>Business supervisor</source>
        <translation>业务主管</translation>
    </message>
    <message>
        <source>Trainer</source>
        <translation>培训师</translation>
    </message>
    <message>
        <source>Center manager</source>
        <translation>呼叫中心经理</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>ScriptView</name>
    <message>
        <source>Restart</source>
        <translation>从头开始</translation>
    </message>
    <message>
        <source>Back to the opening (Home)</source>
        <translation>回到开场（Home）</translation>
    </message>
    <message>
        <source>End of the script.</source>
        <translation>话术到此结束。</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>The previous step (Alt+Left or Backspace)</source>
        <translation>上一步（Alt+← 或退格键）</translation>
    </message>
    <message>
        <source>Opening</source>
        <translation>开场</translation>
    </message>
    <message>
        <source>No script for this campaign.</source>
        <translation>此活动没有话术。</translation>
    </message>
    <message>
        <source>Go to: %1</source>
        <translation>转到：%1</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <source>The built-in service could not start: %1</source>
        <translation>本机内置服务无法启动：%1</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Logging in as %1…</source>
        <translation>正在以 %1 身份登录…</translation>
    </message>
    <message>
        <source>No secure password store on this computer: only the user name is remembered.</source>
        <translation>本机没有安全的密码存储：只记住了用户名。</translation>
    </message>
    <message>
        <source>Changing the password…</source>
        <translation>正在修改密码…</translation>
    </message>
    <message>
        <source>The password was not changed, so you were logged out.</source>
        <translation>密码未修改，已退出登录。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>the built-in service</source>
        <translation>本机内置服务</translation>
    </message>
    <message>
        <source>Cannot reach %1. Check the address and the network, or leave the address empty to use the built-in service.</source>
        <translation>无法连接 %1。请检查地址和网络，或将地址留空以使用本机内置服务。</translation>
    </message>
    <message>
        <source>Your session has ended; please log in again.</source>
        <translation>登录已过期，请重新登录。</translation>
    </message>
</context>
<context>
    <name>SupervisionDesk</name>
    <message>
        <source>This call is being monitored</source>
        <translation>本通话正在被监听/督导</translation>
    </message>
</context>
<context>
    <name>SurveyDialog</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>SurveyEditor</name>
    <message>
        <source>Survey name</source>
        <translation>问卷名称</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Add question</source>
        <translation>添加题目</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必答</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>题型</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>题干</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Add option</source>
        <translation>添加选项</translation>
    </message>
    <message>
        <source>Remove option</source>
        <translation>删除选项</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>When the answer</source>
        <translation>当回答</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>Go to</source>
        <translation>跳到</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>添加跳转</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>删除跳转</translation>
    </message>
    <message>
        <source>Branching (first matching rule wins)</source>
        <translation>跳转规则（按顺序取第一条符合的）</translation>
    </message>
    <message>
        <source>Save survey</source>
        <translation>保存问卷</translation>
    </message>
    <message>
        <source>(no text yet)</source>
        <translation>（还没有题干）</translation>
    </message>
    <message>
        <source>Values 1–5; a range is written low-high, e.g. 1-2.</source>
        <translation>取值 1–5；范围写成“低-高”，如 1-2。</translation>
    </message>
    <message>
        <source>Values 0–10; a range is written low-high, e.g. 0-6.</source>
        <translation>取值 0–10；范围写成“低-高”，如 0-6。</translation>
    </message>
    <message>
        <source>The value is an option&apos;s code.</source>
        <translation>取值填选项代码。</translation>
    </message>
    <message>
        <source>The value is an option&apos;s code (&apos;contains&apos;: ticked among others).</source>
        <translation>取值填选项代码（“包含”：勾选了它，也可同时勾选其他）。</translation>
    </message>
    <message>
        <source>The value is 是 or 否 (yes or no).</source>
        <translation>取值填“是”或“否”。</translation>
    </message>
    <message>
        <source>The value is a word the answer equals or contains.</source>
        <translation>取值填回答等于或包含的文字。</translation>
    </message>
    <message>
        <source>equals</source>
        <translation>等于</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>包含</translation>
    </message>
    <message>
        <source>is between</source>
        <translation>介于</translation>
    </message>
    <message>
        <source>End the survey</source>
        <translation>结束问卷</translation>
    </message>
    <message>
        <source>Rating 1–5</source>
        <translation>评分 1–5</translation>
    </message>
    <message>
        <source>NPS 0–10</source>
        <translation>推荐度 0–10</translation>
    </message>
    <message>
        <source>Single choice</source>
        <translation>单选</translation>
    </message>
    <message>
        <source>Multiple choice</source>
        <translation>多选</translation>
    </message>
    <message>
        <source>Yes/no</source>
        <translation>是/否</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
</context>
<context>
    <name>SurveyForm</name>
    <message>
        <source>Back</source>
        <translation>上一题</translation>
    </message>
    <message>
        <source>Previous question (Alt+Left)</source>
        <translation>上一题（Alt+←）</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一题</translation>
    </message>
    <message>
        <source>This question must be answered.</source>
        <translation>此题必答。</translation>
    </message>
    <message>
        <source>No survey for this campaign.</source>
        <translation>此活动没有问卷。</translation>
    </message>
    <message>
        <source>This survey has no questions.</source>
        <translation>这份问卷还没有题目。</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必答</translation>
    </message>
    <message>
        <source>1 = very dissatisfied, 5 = very satisfied. Keys 1–5 pick a score.</source>
        <translation>1 分很不满意，5 分很满意。按数字键 1–5 打分。</translation>
    </message>
    <message>
        <source>0 = not at all likely, 10 = extremely likely. Keys 0–9 pick, ←/→ move.</source>
        <translation>0 分完全不会，10 分一定会。按数字键 0–9 选择，←/→ 调整。</translation>
    </message>
    <message>
        <source>Keys 1–9 pick an option.</source>
        <translation>按数字键 1–9 选择选项。</translation>
    </message>
    <message>
        <source>Keys 1–9 tick or untick an option.</source>
        <translation>按数字键 1–9 勾选或取消选项。</translation>
    </message>
    <message>
        <source>Y = yes, N = no.</source>
        <translation>Y 是，N 否。</translation>
    </message>
    <message>
        <source>Ctrl+Enter goes on to the next question.</source>
        <translation>Ctrl+Enter 进入下一题。</translation>
    </message>
    <message>
        <source>Survey complete</source>
        <translation>问卷已完成</translation>
    </message>
    <message>
        <source>Back changes an answer; answers are saved as you go.</source>
        <translation>点“上一题”可修改回答；回答随填随存。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>(no answer)</source>
        <translation>（未回答）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Question %1 of %2</source>
        <translation>第 %1 题，共 %2 题</translation>
    </message>
    <message>
        <source>Finish the survey (Enter)</source>
        <translation>完成问卷（Enter）</translation>
    </message>
    <message>
        <source>Next question (Enter)</source>
        <translation>下一题（Enter）</translation>
    </message>
    <message>
        <source>Yes (Y)</source>
        <translation>是（Y）</translation>
    </message>
    <message>
        <source>No (N)</source>
        <translation>否（N）</translation>
    </message>
    <message>
        <source>The customer&apos;s words</source>
        <translation>客户原话</translation>
    </message>
</context>
<context>
    <name>SurveysController</name>
    <message>
        <source>Surveys are kept on the server: log in to edit them.</source>
        <translation>问卷保存在服务器上：登录后才能编辑。</translation>
    </message>
    <message>
        <source>Surveys are changed by trainers, supervisors and managers; you can read them here.</source>
        <translation>问卷由培训师、主管和经理修改；您可以在这里查看。</translation>
    </message>
    <message>
        <source>Not connected: the survey cannot be saved now.</source>
        <translation>未连接服务器：现在不能保存问卷。</translation>
    </message>
    <message>
        <source>Give the survey a name.</source>
        <translation>请给问卷起个名字。</translation>
    </message>
    <message>
        <source>Survey saved.</source>
        <translation>问卷已保存。</translation>
    </message>
</context>
<context>
    <name>SurveysView</name>
    <message>
        <source>New survey</source>
        <translation>新建问卷</translation>
    </message>
    <message>
        <source>Surveys</source>
        <translation>问卷</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Sync stopped</source>
        <translation>同步已停止</translation>
    </message>
    <message>
        <source>Sending and receiving have stopped; restarting. %1</source>
        <translation>发送和接收已停止，正在重新启动。%1</translation>
    </message>
    <message>
        <source>Log in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Questions are kept and sent once you log in.</source>
        <translation>问题会先保存在本机，登录后发送。</translation>
    </message>
    <message>
        <source>Log in again</source>
        <translation>需要重新登录</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Last synchronised %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>To send: %1</source>
        <translation>待发送 %1</translation>
    </message>
    <message>
        <source>Questions and searches waiting to be sent to the server</source>
        <translation>等待发送到服务器的问题和搜索记录</translation>
    </message>
</context>
<context>
    <name>TeamsController</name>
    <message>
        <source>Type the new team&apos;s name first.</source>
        <translation>请先输入新班组的名称。</translation>
    </message>
    <message>
        <source>Team added.</source>
        <translation>已添加班组。</translation>
    </message>
    <message>
        <source>Type the team&apos;s new name first.</source>
        <translation>请先输入班组的新名称。</translation>
    </message>
    <message>
        <source>Renamed.</source>
        <translation>已改名。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Saved. Agents&apos; windows follow it from their next login.</source>
        <translation>已保存。坐席窗口从下次登录起按此显示。</translation>
    </message>
</context>
<context>
    <name>TeamsDialog</name>
    <message>
        <source>Teams</source>
        <translation>班组管理</translation>
    </message>
    <message>
        <source>Team name</source>
        <translation>班组名称</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>改名</translation>
    </message>
    <message>
        <source>Team list</source>
        <translation>班组列表</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Who is in which team (agents, and the team leaders and supervisors who watch them)</source>
        <translation>每位用户所在的班组（坐席，以及负责监控他们的班长和主管）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation>（无班组）</translation>
    </message>
    <message>
        <source>Tell agents when their call is being monitored (listen, whisper, barge)</source>
        <translation>告知坐席其通话正在被监听/督导（监听、耳语、强插）</translation>
    </message>
</context>
<context>
    <name>UnansweredDialog</name>
    <message>
        <source>Not answered</source>
        <translation>没找到答案</translation>
    </message>
    <message>
        <source>What did the customer ask? (optional)</source>
        <translation>客户问了什么？（选填）</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Closest article</source>
        <translation>最接近的文章</translation>
    </message>
    <message>
        <source>The question goes to the business supervisor; the answer comes back to you.</source>
        <translation>问题将转给业务主管，答复会回到您这里。</translation>
    </message>
    <message>
        <source>Record question</source>
        <translation>记录问题</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>VocabularyController</name>
    <message>
        <source>Saved %1 by %2</source>
        <translation>%2 于 %1 保存</translation>
    </message>
    <message>
        <source>Saved. Workstations search with it after their next sync.</source>
        <translation>已保存。各工作站下次同步后按新词库搜索。</translation>
    </message>
</context>
<context>
    <name>VocabularyDialog</name>
    <message>
        <source>Search vocabulary</source>
        <translation>搜索词库</translation>
    </message>
    <message>
        <source>Synonym group (terms separated by 、 or commas)</source>
        <translation>同义词组（词之间用、或逗号分隔）</translation>
    </message>
    <message>
        <source>Add group</source>
        <translation>添加一组</translation>
    </message>
    <message>
        <source>Remove group</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Synonym groups: a search for one term finds the others</source>
        <translation>同义词组：搜其中一个词，也能找到其余的词</translation>
    </message>
    <message>
        <source>One word per line, e.g. 翼支付</source>
        <translation>每行一个词，例如 翼支付</translation>
    </message>
    <message>
        <source>User dictionary: words search keeps whole</source>
        <translation>用户词典：搜索时不拆开的词</translation>
    </message>
    <message>
        <source>Saving sends the vocabulary to every workstation; their search uses it after the next sync.</source>
        <translation>保存后词库会下发到所有工作站，下次同步后即按新词库搜索。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Row %1 needs at least two different terms.</source>
        <translation>第 %1 行至少要有两个不同的词。</translation>
    </message>
    <message>
        <source>Row %1: a term is at most %2 characters.</source>
        <translation>第 %1 行：每个词最多 %2 个字。</translation>
    </message>
    <message>
        <source>“%1”: a word is at most %2 characters, without spaces.</source>
        <translation>“%1”：每个词最多 %2 个字，且不能有空格。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>WorklistController</name>
    <message>
        <source>No active campaign.</source>
        <translation>没有进行中的外呼活动。</translation>
    </message>
    <message>
        <source>Callback %1 · %2</source>
        <translation>回拨 %1 · %2</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无姓名）</translation>
    </message>
    <message>
        <source>⏰ %1 %2 (callback)</source>
        <translation>⏰ %1 %2（回拨）</translation>
    </message>
    <message>
        <source>Taking the next record…</source>
        <translation>正在取下一条…</translation>
    </message>
    <message>
        <source>The last outcome is still being sent; try again.</source>
        <translation>上一条结果仍在发送，请稍后再试。</translation>
    </message>
    <message>
        <source>Sending the last outcome first…</source>
        <translation>正在先发送上一条结果…</translation>
    </message>
    <message>
        <source>Outside calling hours: no record now.</source>
        <translation>不在呼叫时段，现在没有可拨记录。</translation>
    </message>
    <message>
        <source>No calls today (holiday or no calling hours).</source>
        <translation>今天不外呼（节假日或无呼叫时段）。</translation>
    </message>
    <message>
        <source>Nothing is due in this campaign now.</source>
        <translation>此活动现在没有待拨记录。</translation>
    </message>
    <message>
        <source>This campaign is paused or closed.</source>
        <translation>此活动已暂停或结束。</translation>
    </message>
    <message>
        <source>No record now.</source>
        <translation>现在没有记录。</translation>
    </message>
    <message>
        <source>Take the record again to dial it</source>
        <translation>请重新取此记录后再拨打</translation>
    </message>
    <message>
        <source>Number changed</source>
        <translation>号码已改变</translation>
    </message>
    <message>
        <source>The customer&apos;s new number:</source>
        <translation>客户的新号码：</translation>
    </message>
    <message>
        <source>Outcome recorded: %1 — %2</source>
        <translation>已记录结果：%1 — %2</translation>
    </message>
    <message>
        <source>A success needs the survey&apos;s required answers: %1</source>
        <translation>记为成功须先答完问卷必答题：%1</translation>
    </message>
    <message>
        <source>Callback %1</source>
        <translation>回拨 %1</translation>
    </message>
    <message>
        <source>Callback %1 (China time)</source>
        <translation>回拨 %1（北京时间）</translation>
    </message>
    <message>
        <source>Offline: records already taken can still be worked and recorded.</source>
        <translation>离线：已取到的记录仍可拨打并记录结果。</translation>
    </message>
</context>
<context>
    <name>WorklistView</name>
    <message>
        <source>Next record</source>
        <translation>下一条</translation>
    </message>
    <message>
        <source>Take the campaign&apos;s next record (Ctrl+Shift+N)</source>
        <translation>取此活动的下一条记录（Ctrl+Shift+N）</translation>
    </message>
    <message>
        <source>Auto next</source>
        <translation>自动下一条</translation>
    </message>
    <message>
        <source>After an outcome, take the next record at once</source>
        <translation>记录结果后立即取下一条</translation>
    </message>
    <message>
        <source>Dial (%1)</source>
        <translation>拨打（%1）</translation>
    </message>
    <message>
        <source>Callback…</source>
        <translation>约定回拨…</translation>
    </message>
    <message>
        <source>Agree a time to call the customer back</source>
        <translation>与客户约定回拨时间</translation>
    </message>
    <message>
        <source>No callback</source>
        <translation>取消回拨</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Outcome (Ctrl+number)</source>
        <translation>结果（Ctrl+数字键）</translation>
    </message>
    <message>
        <source>Choose a campaign and take the next record.</source>
        <translation>选择外呼活动，点“下一条”取记录。</translation>
    </message>
    <message>
        <source>Outbound</source>
        <translation>外呼</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无姓名）</translation>
    </message>
</context>
<context>
    <name>WrapUpController</name>
    <message>
        <source>%1 · talked %2</source>
        <translation>%1 · 通话 %2</translation>
    </message>
</context>
<context>
    <name>WrapUpPanel</name>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Note: what the customer wanted, what was done</source>
        <translation>备注：客户诉求、处理结果</translation>
    </message>
    <message>
        <source>Extend</source>
        <translation>延长</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Save and finish wrap-up (Ctrl+Enter)</source>
        <translation>保存并结束话后处理（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>_ReplyDialog</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>%1 asked: %2</source>
        <translation>%1 提问：%2</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>备注：%1</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
</TS>
