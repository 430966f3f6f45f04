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
        <source>Thank you, feedback recorded.</source>
        <translation>谢谢，反馈已记录。</translation>
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
    <name>KbPane</name>
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
        <source>Knowledge base</source>
        <translation>知识库</translation>
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
        <source>Language</source>
        <translation>语言 Language</translation>
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
        <source>Saved as a draft; a supervisor or manager publishes it.</source>
        <translation>保存为草稿，由业务主管或经理发布。</translation>
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
        <source>Article “%1” saved as a draft for review.</source>
        <translation>文章“%1”已保存为草稿，等待审核。</translation>
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
    <name>SyncStatusWidget</name>
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
