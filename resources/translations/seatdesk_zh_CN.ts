<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
</TS>
