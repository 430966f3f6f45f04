"""A deterministic synthetic call-center knowledge base and query set for benchmarks.

Everything is composed from small hand-written vocabularies of the SeatDesk business lines
(telecom hotline, property services, elderly care, community education, community finance,
home upgrade, property rental and sale) with `random.Random(seed)`: the same seed always gives
the same articles, in the same order, with the same UUIDs, and the same queries.

Articles look like what a trainer writes: a title built from a template of the article type
(faq / script / flow / complaint_guide), a three-level category ("电信/宽带/报装"), tags,
colloquial aliases, and a Markdown body of 150-500 characters with headings, numbered steps and
bullet points.
"""

from __future__ import annotations

import random
import re
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass, field

from pypinyin import Style, lazy_pinyin

from kb.models import ARTICLE_TYPES, BUSINESS_LINES, Article

BODY_MIN = 150
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
BODY_MAX = 500


@dataclass
class Topic:
    """A second-level category of a business line and its words."""

    name: str
    leaves: list[str]
    objects: list[str]  # things a customer has or uses
    problems: list[str]  # what goes wrong with them
    services: list[str]  # what can be applied for / done


@dataclass
class Domain:
    line: str  # a code of kb.models.BUSINESS_LINES
    root: str  # first level of the category path
    weight: float
    topics: list[Topic]
    departments: list[str]
    selfhelp: list[str]
    channels: list[str]
    questions: list[str] = field(default_factory=list)  # hand-written natural questions


DOMAINS: list[Domain] = [
    Domain(
        line="telecom",
        root="电信",
        weight=0.30,
        topics=[
            Topic(
                "宽带",
                ["报装", "故障", "移机", "提速", "拆机"],
                ["宽带", "光猫", "路由器", "网线", "机顶盒", "无线网络", "光纤"],
                [
                    "断网",
                    "网速慢",
                    "频繁掉线",
                    "无法上网",
                    "光信号灯闪红",
                    "无线信号弱",
                    "连不上WiFi",
                    "拨号失败",
                ],
                [
                    "宽带报装",
                    "宽带移机",
                    "宽带提速",
                    "宽带续约",
                    "光猫更换",
                    "宽带拆机",
                    "预约装维上门",
                ],
            ),
            Topic(
                "套餐",
                ["资费", "变更", "合约"],
                ["套餐", "流量包", "语音包", "合约机", "副卡", "融合套餐"],
                ["流量超出", "扣费异常", "套餐未生效", "合约期内无法变更", "流量用得太快"],
                ["套餐变更", "流量包订购", "副卡办理", "合约续签", "套餐退订", "亲情号码设置"],
            ),
            Topic(
                "话费",
                ["充值", "账单", "欠费"],
                ["话费", "账单", "发票", "余额", "充值卡", "积分"],
                ["话费异常", "充值未到账", "欠费停机", "扣费不明", "发票打印失败"],
                ["话费充值", "账单查询", "电子发票开具", "缴费方式变更", "停机保号", "积分兑换"],
            ),
            Topic(
                "号码",
                ["携号转网", "补卡", "过户"],
                ["手机号", "SIM卡", "号码", "实名信息", "eSIM"],
                ["携转校验失败", "收不到短信", "号码被停用", "实名认证不通过", "卡被PUK锁定"],
                ["携号转网", "补换SIM卡", "号码过户", "实名登记", "挂失解挂", "销户"],
            ),
            Topic(
                "漫游",
                ["国际漫游", "港澳台"],
                ["国际漫游", "漫游流量包", "境外网络", "手机信号"],
                ["境外无法上网", "漫游扣费过高", "境外收不到验证码", "没有信号"],
                ["国际漫游开通", "境外流量包订购", "漫游资费查询", "国际长途开通"],
            ),
        ],
        departments=["装维班组", "网络运维中心", "计费中心", "营业厅", "号卡中心", "政企客户经理"],
        selfhelp=[
            "重启光猫和路由器",
            "检查网线是否松动",
            "将手机关机后重新开机",
            "确认没有开启飞行模式",
            "在手机设置中打开数据漫游",
            "发送短信CXLL查询流量",
        ],
        channels=["营业厅", "网上营业厅", "手机APP", "微信公众号", "服务热线"],
        questions=[
            "我家宽带怎么老是断网",
            "光猫亮红灯是什么意思",
            "出国了手机怎么上网",
            "话费怎么突然变多了",
            "携号转网要满足什么条件",
            "手机卡丢了怎么补",
            "流量用完了能不能临时加一点",
            "宽带搬家了怎么移过去",
            "套餐能改便宜一点的吗",
            "欠费停机了交完钱多久能恢复",
            "在国外收不到验证码怎么办",
            "怎么开电子发票",
        ],
    ),
    Domain(
        line="property",
        root="物业",
        weight=0.25,
        topics=[
            Topic(
                "收费",
                ["物业费", "水电费", "停车费"],
                ["物业费", "水费", "电费", "燃气费", "停车费", "公摊费", "缴费通知单"],
                ["缴费未到账", "收费标准有疑问", "重复扣款", "滞纳金有异议", "发票未开具"],
                [
                    "物业费缴纳",
                    "物业费发票开具",
                    "预存物业费",
                    "缴费方式咨询",
                    "欠费催缴",
                    "费用减免申请",
                ],
            ),
            Topic(
                "报修",
                ["水电", "公共设施", "电梯"],
                ["水管", "马桶", "电梯", "下水道", "楼道灯", "防盗门", "窗户", "墙面", "空调外机"],
                ["漏水", "堵塞", "停电", "困人", "不亮", "渗水", "发霉", "异响"],
                [
                    "室内报修",
                    "公共区域报修",
                    "紧急维修",
                    "维修进度查询",
                    "维修费用确认",
                    "上门维修预约",
                ],
            ),
            Topic(
                "安全",
                ["门禁", "停车", "安防"],
                ["门禁卡", "人脸识别门禁", "车位", "道闸", "监控", "快递柜", "访客"],
                ["门禁卡失灵", "车位被占", "道闸不抬杆", "外来车辆乱停", "陌生人进入小区"],
                [
                    "门禁卡补办",
                    "访客登记",
                    "月租车位办理",
                    "监控调阅申请",
                    "临时停车缴费",
                    "人脸信息录入",
                ],
            ),
            Topic(
                "装修",
                ["装修申请", "垃圾清运"],
                ["装修", "装修押金", "装修垃圾", "施工许可", "施工噪音"],
                ["噪音扰民", "押金未退还", "违规改动承重墙", "垃圾乱堆放", "施工超时"],
                ["装修备案", "装修押金退还", "装修垃圾清运预约", "装修验收", "施工出入证办理"],
            ),
            Topic(
                "环境",
                ["保洁", "绿化", "邻里"],
                ["垃圾分类", "楼道", "绿化带", "宠物", "楼上邻居"],
                ["杂物堆放", "垃圾未及时清运", "宠物扰民", "楼上漏水到楼下", "高空抛物"],
                ["邻里纠纷调解", "垃圾分类咨询", "绿化修剪申请", "消杀服务预约"],
            ),
        ],
        departments=[
            "物业服务中心",
            "工程维修部",
            "秩序维护部",
            "财务部",
            "环境保洁部",
            "楼栋管家",
        ],
        selfhelp=[
            "关闭入户总阀门",
            "拍照上传到物业小程序",
            "确认门禁卡没有消磁",
            "检查是否欠费导致门禁停用",
            "查看单元楼公告栏的停水通知",
        ],
        channels=["物业小程序", "物业服务中心", "微信", "支付宝", "银行代扣"],
        questions=[
            "物业费可以用微信交吗",
            "家里水管漏水了怎么报修",
            "门禁卡丢了怎么办",
            "小区停车位怎么申请",
            "装修押金什么时候退",
            "楼上天天很吵能管吗",
            "电梯坏了多久能修好",
            "物业费为什么比去年贵",
            "快递柜取不出东西找谁",
            "外来车辆占了我的车位怎么办",
            "楼道里的杂物谁来清理",
            "装修要提前办什么手续",
        ],
    ),
    Domain(
        line="elderly_care",
        root="养老",
        weight=0.10,
        topics=[
            Topic(
                "居家养老",
                ["上门服务", "助餐", "紧急呼叫"],
                ["助餐服务", "上门护理", "紧急呼叫器", "智能手环", "助浴服务", "家政保洁"],
                [
                    "护理员未按时上门",
                    "餐食不合口味",
                    "呼叫器没有响应",
                    "手环定位不准",
                    "服务时长不足",
                ],
                ["居家护理预约", "助餐订餐", "紧急呼叫器安装", "服务时长查询", "护理员更换申请"],
            ),
            Topic(
                "机构养老",
                ["入住", "床位", "费用"],
                ["养老院床位", "入住评估", "护理等级", "养老补贴", "探视"],
                ["床位排队太久", "护理等级评估有异议", "补贴未到账", "探视时间受限"],
                ["入住申请", "护理等级评估", "养老补贴申领", "探视预约", "退住结算"],
            ),
            Topic(
                "健康",
                ["健康管理", "康复"],
                ["慢病随访", "体检", "康复训练", "用药提醒", "家庭医生"],
                ["体检报告看不懂", "随访电话打不通", "用药提醒未收到"],
                ["家庭医生签约", "健康档案查询", "康复课程报名", "上门体检预约"],
            ),
        ],
        departments=["社区养老服务站", "护理站", "评估中心", "民政窗口", "家庭医生团队"],
        selfhelp=["检查呼叫器电池电量", "确认手环已经充满电", "让家属在小程序中查看服务记录"],
        channels=["社区服务站", "养老服务热线", "小程序", "民政窗口"],
        questions=[
            "老人在家摔倒了怎么呼叫",
            "养老补贴怎么申请",
            "护理员没来上门怎么办",
            "养老院床位要排多久",
            "助餐一顿多少钱",
            "家庭医生怎么签约",
            "手环定位老是不准",
            "老人能不能去康复中心锻炼",
        ],
    ),
    Domain(
        line="education",
        root="教育",
        weight=0.10,
        topics=[
            Topic(
                "课程",
                ["报名", "课表", "退费"],
                ["兴趣班", "老年大学课程", "少儿编程", "书法班", "舞蹈班", "课时"],
                ["报名名额已满", "上课时间冲突", "退费进度慢", "老师临时调课", "课时扣错"],
                ["课程报名", "课程退费", "转班申请", "课时查询", "试听预约", "课程续报"],
            ),
            Topic(
                "托管",
                ["课后托管", "假期营"],
                ["课后托管", "暑期托管班", "接送", "午餐", "作业辅导"],
                ["接送时间不固定", "孩子在托管班受伤", "午餐质量差"],
                ["托管报名", "接送人变更", "请假登记", "托管费用缴纳"],
            ),
            Topic(
                "证书",
                ["证书", "学籍"],
                ["结业证书", "学员证", "学习记录", "成绩单"],
                ["证书信息有误", "学员证丢失", "学习记录缺失"],
                ["结业证书补办", "学员信息修改", "学习证明开具"],
            ),
        ],
        departments=["教务处", "班主任", "课程顾问", "财务室", "托管中心"],
        selfhelp=["在小程序中查看最新课表", "核对报名时填写的手机号", "查看班级群里的通知"],
        channels=["社区教育小程序", "教务前台", "服务热线", "班级群"],
        questions=[
            "孩子报的兴趣班能退钱吗",
            "老年大学怎么报名",
            "暑期托管几点可以接孩子",
            "课时怎么查还剩多少",
            "结业证书名字写错了怎么改",
            "书法班还有名额吗",
            "能不能先试听一节课",
            "托管班的午饭吃什么",
        ],
    ),
    Domain(
        line="finance",
        root="金融",
        weight=0.10,
        topics=[
            Topic(
                "账户",
                ["开户", "挂失", "密码"],
                ["社区银行卡", "存折", "手机银行", "交易密码", "银行账户"],
                ["密码忘记", "银行卡被吞", "账户被冻结", "手机银行登录失败", "收不到验证码"],
                ["开户预约", "挂失补卡", "密码重置", "账户解冻", "手机银行开通"],
            ),
            Topic(
                "理财",
                ["理财产品", "风险评估"],
                ["理财产品", "定期存款", "养老理财", "风险评估", "收益"],
                ["收益与预期不符", "赎回资金未到账", "风险评估过期", "产品到期未兑付"],
                ["理财产品咨询", "风险评估更新", "赎回申请", "定期存款转存"],
            ),
            Topic(
                "代缴",
                ["代缴费", "反诈"],
                ["代扣协议", "水电燃气代缴", "社保代缴", "可疑转账", "诈骗电话"],
                ["代扣失败", "重复扣款", "疑似遭遇电信诈骗", "收到可疑短信"],
                ["代扣协议签约", "代扣协议解约", "反诈骗风险提示", "可疑交易止付"],
            ),
        ],
        departments=["社区银行网点", "理财经理", "客户经理", "风控中心", "运营中心"],
        selfhelp=[
            "在手机银行中查看交易明细",
            "确认预留手机号能正常接收短信",
            "携带本人身份证到网点办理",
        ],
        channels=["社区银行网点", "手机银行", "客服热线", "自助柜员机"],
        questions=[
            "银行卡密码忘了怎么办",
            "接到自称公安的电话要我转账",
            "理财产品到期钱什么时候到",
            "水电费能不能自动扣款",
            "手机银行登录不上去",
            "卡被取款机吞了怎么办",
            "养老理财风险大不大",
            "账户为什么被冻结了",
        ],
    ),
    Domain(
        line="home_upgrade",
        root="家装",
        weight=0.08,
        topics=[
            Topic(
                "改造",
                ["局部改造", "适老化改造", "智能家居"],
                ["厨卫改造", "卫生间防水", "安全扶手", "防滑地砖", "智能门锁", "新风系统"],
                ["施工延期", "防水再次渗漏", "智能门锁打不开", "验收不合格", "材料与样品不符"],
                ["改造方案预约", "适老化改造申请", "上门量房", "质保维修", "改造补贴申请"],
            ),
        ],
        departments=["家装顾问", "工程监理", "售后服务部", "设计师"],
        selfhelp=["更换智能门锁电池", "用应急钥匙开门", "拍下渗漏位置的照片"],
        channels=["家装小程序", "服务热线", "社区服务站"],
        questions=[
            "卫生间又漏水了保修吗",
            "智能门锁没电了怎么开门",
            "适老化改造有补贴吗",
            "装修工期拖了半个月怎么办",
        ],
    ),
    Domain(
        line="real_estate",
        root="不动产",
        weight=0.07,
        topics=[
            Topic(
                "租售",
                ["出租", "出售", "合同"],
                ["租房合同", "租房押金", "房源", "中介费", "租金", "网签"],
                ["押金不退", "租金上涨", "房屋与描述不符", "合同纠纷", "网签失败"],
                ["房源登记", "看房预约", "租赁合同续签", "退租结算", "网签备案"],
            ),
        ],
        departments=["租售顾问", "签约中心", "法务专员", "门店经理"],
        selfhelp=["核对合同中的退租条款", "整理交租记录和收据", "拍照留存房屋现状"],
        channels=["门店", "租售小程序", "服务热线"],
        questions=[
            "租房押金不退怎么办",
            "合同没到期能不能退租",
            "中介费怎么收的",
            "网签需要带什么材料",
        ],
    ),
]
assert {d.line for d in DOMAINS} <= set(BUSINESS_LINES)

IDENTITIES = ["身份证", "户口本", "房产证", "租赁合同", "营业执照", "老年证", "学生证", "护照"]
TIMES = ["当天", "24小时内", "48小时内", "1个工作日内", "3个工作日内", "5个工作日内", "7个工作日内"]
QUALIFIERS = [
    "（2024版）",
    "（企业客户）",
    "（老年客户）",
    "（夜间时段）",
    "（节假日）",
    "（新建小区）",
    "（农村地区）",
    "（VIP客户）",
    "（首次来电）",
    "（重复来电）",
]
EMOTIONS = ["比较激动", "非常不满", "较为焦虑", "情绪平稳但坚持诉求", "表示要向上级投诉"]

TITLE_TEMPLATES = {
    "faq": [
        "{object}{problem}怎么办",
        "{service}需要准备哪些材料",
        "{service}多久能办好",
        "{service}可以在{channel}办理吗",
        "{object}{problem}是什么原因",
        "{service}收费标准是多少",
        "为什么{object}{problem}",
    ],
    "script": [
        "{service}咨询应答话术",
        "客户询问{service}的标准话术",
        "{object}{problem}安抚话术",
        "{service}外呼回访话术",
        "拒绝不合理{service}要求的解释话术",
    ],
    "flow": [
        "{service}办理流程",
        "{object}{problem}报障处理流程",
        "{service}审核与派单流程",
        "{service}线上办理步骤",
    ],
    "complaint_guide": [
        "客户投诉{object}{problem}的处理指引",
        "{service}超时未办结的投诉处理",
        "对{department}服务态度不满的投诉处理",
        "{object}{problem}重复投诉升级指引",
    ],
}
TYPE_WEIGHTS = {"faq": 0.45, "script": 0.2, "flow": 0.2, "complaint_guide": 0.15}
assert set(TYPE_WEIGHTS) == set(ARTICLE_TYPES)

ALIAS_TEMPLATES = [
    "{object}{problem}",
    "{object}坏了",
    "{object}用不了",
    "{service}怎么弄",
    "想办{service}",
    "{object}出问题了",
]

STEPS = [
    "核实客户身份，确认{identity}与登记信息一致",
    "在系统中查询{object}的当前状态和历史工单",
    "指导客户{selfhelp}，观察问题是否解决",
    "如仍未解决，创建工单派发至{department}，告知客户{time}联系",
    "告知客户可通过{channel}查询办理进度",
    "办结后{time}进行回访，记录客户满意度",
    "涉及费用的，先说明收费标准，客户同意后再办理",
    "需要上门的，与客户约定上门时间段并核对联系电话",
    "在工单中写明{object}{problem}的现象、开始时间和影响范围",
    "请客户准备{identity}原件，到{channel}现场办理",
]
NOTES = [
    "不得向客户承诺具体赔偿金额",
    "客户情绪激动时先安抚情绪再处理问题",
    "涉及{identity}等个人信息时注意保密，不得外传",
    "节假日期间处理时限顺延",
    "客户要求投诉的，需在{time}给出答复",
    "同一问题第二次来电的，按重复来电标记并升级",
    "不得引导客户办理与诉求无关的业务",
]
SCRIPT_CUSTOMER = [
    "我想问一下{service}怎么办？",
    "我的{object}{problem}，你们到底管不管？",
    "{service}要花多少钱，多久能好？",
    "上次说{time}处理，到现在还没人联系我。",
]
SCRIPT_AGENT = [
    "非常理解您的心情，我先帮您查询一下{object}的情况。",
    "{service}可以通过{channel}办理，需要您提供{identity}。",
    "已经为您登记，{department}会在{time}和您联系。",
    "给您带来不便非常抱歉，我马上为您加急处理。",
    "请您先{selfhelp}，如果还不行我这边为您派单。",
]

# Words that never occur in the corpus: titles of the save-to-searchable probes.
PROBE_PLACES = [
    "翡翠湾",
    "枫林苑",
    "云栖里",
    "望江台",
    "桂香园",
    "松鹤居",
    "青檀府",
    "锦绣坊",
    "临湖湾",
    "杏花村",
    "梧桐巷",
    "紫荆苑",
]
PROBE_EVENTS = [
    "电梯年检停运临时安排",
    "二次供水水箱清洗通知",
    "光纤线路割接维护公告",
    "消防通道专项整治说明",
    "中秋游园活动报名须知",
    "外墙翻新脚手架搭设告知",
]


@dataclass
class Query:
    text: str
    kind: str  # keywords | question | initials
    expect: str = ""  # for initials: the title phrase the letters were taken from


def _fill(template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


class CorpusGenerator:
    def __init__(self, seed: int = 20240601) -> None:
        self.seed = seed
        self.rng = random.Random(seed)

    def _uuid(self) -> str:
        return str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4))

    def _domain(self) -> Domain:
        return self.rng.choices(DOMAINS, weights=[d.weight for d in DOMAINS])[0]

    def _slots(self, d: Domain, t: Topic) -> dict[str, str]:
        r = self.rng
        return {
            "object": r.choice(t.objects),
            "problem": r.choice(t.problems),
            "service": r.choice(t.services),
            "channel": r.choice(d.channels),
            "department": r.choice(d.departments),
            "selfhelp": r.choice(d.selfhelp),
            "identity": r.choice(IDENTITIES),
            "time": r.choice(TIMES),
            "emotion": r.choice(EMOTIONS),
        }

    def _refresh(self, slots: dict[str, str], d: Domain, t: Topic) -> dict[str, str]:
        """New random words for the next sentence, same topic."""
        fresh = self._slots(d, t)
        # keep the article's main object/problem/service most of the time
        for key in ("object", "problem", "service"):
            if self.rng.random() < 0.7:
                fresh[key] = slots[key]
        return fresh

    def _steps(self, n: int, slots: dict[str, str], d: Domain, t: Topic) -> list[str]:
        picked = self.rng.sample(STEPS, n)
        return [_fill(s, self._refresh(slots, d, t)) for s in picked]

    def _notes(self, n: int, slots: dict[str, str], d: Domain, t: Topic) -> list[str]:
        picked = self.rng.sample(NOTES, n)
        return [_fill(s, self._refresh(slots, d, t)) for s in picked]

    def _body(self, kind: str, s: dict[str, str], d: Domain, t: Topic) -> str:
        r = self.rng
        sections: list[tuple[str, list[str]]] = []  # (heading, lines); lines may be trimmed
        if kind == "faq":
            sections.append(("问题", [f"客户反映{s['object']}{s['problem']}，希望尽快处理。"]))
            sections.append(
                (
                    "解答",
                    [
                        f"一般情况下可先{s['selfhelp']}；{s['service']}可通过{s['channel']}办理，"
                        f"需提供{s['identity']}，{s['time']}完成。"
                    ],
                )
            )
            sections.append(
                (
                    "处理步骤",
                    [f"{i}. {x}" for i, x in enumerate(self._steps(r.randint(3, 5), s, d, t), 1)],
                )
            )
            sections.append(("注意事项", [f"- {x}" for x in self._notes(r.randint(1, 3), s, d, t)]))
        elif kind == "script":
            lines = [f"**坐席**：您好，{BUSINESS_LINES[d.line][0]}热线，请问有什么可以帮您？"]
            for _ in range(r.randint(2, 4)):
                s2 = self._refresh(s, d, t)
                lines.append("**客户**：" + _fill(r.choice(SCRIPT_CUSTOMER), s2))
                lines.append("**坐席**：" + _fill(r.choice(SCRIPT_AGENT), s2))
            sections.append(
                ("适用场景", [f"客户来电咨询{s['service']}或反映{s['object']}{s['problem']}。"])
            )
            sections.append(("标准话术", lines))
            sections.append(
                (
                    "禁忌用语",
                    ["- 这个不归我们管", "- 你自己去营业厅问", f"- {_fill(r.choice(NOTES), s)}"],
                )
            )
        elif kind == "flow":
            sections.append(
                (
                    "流程说明",
                    [
                        f"本流程适用于{s['service']}，由{s['department']}负责，"
                        f"办理时限为{s['time']}。"
                    ],
                )
            )
            sections.append(
                (
                    "办理步骤",
                    [f"{i}. {x}" for i, x in enumerate(self._steps(r.randint(4, 6), s, d, t), 1)],
                )
            )
            sections.append(
                (
                    "时限要求",
                    [
                        f"- 受理后{r.choice(TIMES)}派单",
                        f"- 超过{r.choice(TIMES[2:])}未办结的自动升级",
                    ],
                )
            )
        else:  # complaint_guide
            sections.append(("投诉类型", [f"{s['object']}{s['problem']}，客户{s['emotion']}。"]))
            sections.append(("安抚要点", [f"- {x}" for x in self._notes(r.randint(2, 3), s, d, t)]))
            sections.append(
                (
                    "处理路径",
                    [f"{i}. {x}" for i, x in enumerate(self._steps(r.randint(3, 4), s, d, t), 1)],
                )
            )
            sections.append(
                (
                    "升级条件",
                    [
                        f"- {r.randint(2, 3)}次及以上重复投诉",
                        f"- 客户提出向{r.choice(['12345', '工信部', '消协', '住建部门', '监管部门'])}反映",
                    ],
                )
            )

        def render() -> str:
            return "\n\n".join(f"## {h}\n" + "\n".join(ls) for h, ls in sections if ls)

        body = render()
        # Trim list lines from the longest section until it fits.
        while len(body) > BODY_MAX:
            longest = max(sections, key=lambda sec: len(sec[1]))
            if len(longest[1]) <= 1:
                sections.pop()
            else:
                longest[1].pop()
            body = render()
        while len(body) < BODY_MIN:
            extra = _fill(r.choice(NOTES), self._refresh(s, d, t))
            if sections[-1][0] == "补充说明":
                sections[-1][1].append(f"- {extra}")
            else:
                sections.append(("补充说明", [f"- {extra}"]))
            body = render()
        return body[:BODY_MAX]

    def article(self) -> Article:
        r = self.rng
        d = self._domain()
        t = r.choice(d.topics)
        leaf = r.choice(t.leaves)
        kind = r.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
        s = self._slots(d, t)
        title = _fill(r.choice(TITLE_TEMPLATES[kind]), s)
        if r.random() < 0.5:
            title += r.choice(QUALIFIERS)
        tags = list(
            dict.fromkeys(
                [leaf, s["object"], s["service"]]
                + r.sample(t.objects + t.services, r.randint(0, 2))
            )
        )
        aliases = [
            _fill(a, self._refresh(s, d, t)) for a in r.sample(ALIAS_TEMPLATES, r.randint(0, 2))
        ]
        return Article(
            uuid=self._uuid(),
            type=kind,
            title=title,
            body=self._body(kind, s, d, t),
            category=f"{d.root}/{t.name}/{leaf}",
            tags=tags,
            aliases=aliases,
            business_line=d.line,
            contact_point=s["department"],
            status="published",
        )

    def articles(self, n: int) -> list[Article]:
        return [self.article() for _ in range(n)]

    # -- queries ------------------------------------------------------------------------------
    def keyword_query(self) -> Query:
        d = self._domain()
        t = self.rng.choice(d.topics)
        pool = list(dict.fromkeys(t.objects + t.services + t.leaves + t.problems))
        return Query(" ".join(self.rng.sample(pool, self.rng.randint(2, 3))), "keywords")

    def question_query(self) -> Query:
        r = self.rng
        d = self._domain()
        if r.random() < 0.5:
            return Query(r.choice(d.questions), "question")
        t = r.choice(d.topics)
        s = self._slots(d, t)
        template = r.choice(
            [
                "我家{object}怎么老是{problem}",
                "{service}需要带什么材料",
                "{service}能在{channel}上办吗",
                "{object}{problem}了找谁",
                "为什么我的{object}{problem}",
                "{service}要多久",
                "{service}收不收费",
                "请问{object}{problem}怎么处理",
            ]
        )
        return Query(_fill(template, s), "question")

    def initials_query(self, titles: list[str], segment: Callable[[str], list[str]]) -> Query:
        """Pinyin initials of a 3-5 character phrase of a real title: two adjacent words."""
        r = self.rng
        for _ in range(100):
            title = r.choice(titles)
            spans = []
            for run in _CJK_RUN.findall(title):  # qualifiers in brackets are separate runs
                words = segment(run)
                for a, b in zip(words, words[1:], strict=False):
                    if len(a) >= 2 and len(b) >= 2 and 3 <= len(a + b) <= 5:
                        spans.append(a + b)
            if spans:
                phrase = r.choice(spans)
                letters = "".join(p[0] for p in lazy_pinyin(phrase, style=Style.NORMAL) if p)
                return Query(letters, "initials", expect=phrase)
        raise RuntimeError("no title phrase found for an initials query")

    def queries(
        self, n: int, titles: list[str], segment: Callable[[str], list[str]]
    ) -> list[Query]:
        """n distinct queries, kinds in turn (keywords, question, initials): equal thirds."""
        makers: list[Callable[[], Query]] = [
            self.keyword_query,
            self.question_query,
            lambda: self.initials_query(titles, segment),
        ]
        out: list[Query] = []
        seen: set[str] = set()
        for i in range(n):
            for _attempt in range(50):
                q = makers[i % 3]()
                if q.text not in seen:
                    break
            seen.add(q.text)
            out.append(q)
        return out

    def probe_article(self, i: int) -> Article:
        """A distinctive new article (words absent from the corpus) for save-to-searchable."""
        place = PROBE_PLACES[i % len(PROBE_PLACES)]
        event = PROBE_EVENTS[(i // len(PROBE_PLACES) + i) % len(PROBE_EVENTS)]
        title = f"{place}小区{event}"
        body = (
            f"## 通知内容\n{place}小区{event}，请坐席在客户来电时按以下口径答复。\n\n"
            "## 答复口径\n1. 说明安排的时间和影响范围\n2. 告知客户可在物业小程序查看公告\n"
            "3. 如有特殊困难，登记后转楼栋管家跟进\n\n## 注意事项\n- 不得承诺提前结束时间"
        )
        return Article(
            uuid=self._uuid(),
            type="faq",
            title=title,
            body=body,
            category="物业/环境/邻里",
            tags=[place, "临时通知"],
            aliases=[f"{place}通知"],
            business_line="property",
            status="published",
        )
