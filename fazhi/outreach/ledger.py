"""Import of the clerks' own ledgers (普法活动台账, 法律明白人花名册, 法律咨询登记表, 学法台账,
会议记录台账) in the column layouts they already keep.

A ledger's header names vary ("活动时间", "宣传主题", "发放资料（份）", "参与人数" …) and so do its
values ("集市", "宪法日", "中心组学习"). Each ledger declares the names it accepts for each of
our columns and the words it accepts for each choice; the file is bounded and read by core's
reader (`core.io.read_sheet`), its header and values are translated, and the rows go through the
resource's own all-or-nothing import (`core.io.import_workbook`): every row validated, errors by
row and by the clerk's own column name, then one transaction or nothing. A ledger without a
乡镇 column is imported into the user's only township.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, BinaryIO

from openpyxl import Workbook

from fazhi.core import io as core_io
from fazhi.core import resources, scope
from fazhi.core.io import ImportResult, RowError
from fazhi.core.roles import IMPORT

TOWNSHIP = "乡镇"


def normalise(header: str) -> str:
    """“发放资料（份）” → “发放资料(份)”; spaces, colons and line breaks dropped."""
    text = str(header or "").strip()
    for a, b in (
        ("（", "("),
        ("）", ")"),
        ("：", ""),
        (":", ""),
        ("\n", ""),
        (" ", ""),
        ("\u3000", ""),
    ):
        text = text.replace(a, b)
    return text


@dataclass(frozen=True)
class Ledger:
    key: str  # "outreach-events"
    resource_key: str  # "outreach:events"
    title: str
    #: our column (the resource's Excel header) → the names clerks use for it
    headers: dict[str, tuple[str, ...]]
    #: our column → {clerk's word: our label}
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def resource(self) -> Any:
        return resources.get(*self.resource_key.split(":"))

    def header_map(self) -> dict[str, str]:
        """normalised clerk header → our header (our own headers are accepted too)."""
        mapping = {normalise(h): h for h in core_io.headers(self.resource)}
        for ours, names in self.headers.items():
            for name in names:
                mapping[normalise(name)] = ours
        return mapping


_KEY_DAYS = {
    "宪法日": "12·4 国家宪法日",
    "国家宪法日": "12·4 国家宪法日",
    "12.4": "12·4 国家宪法日",
    "12·4": "12·4 国家宪法日",
    "宪法宣传周": "宪法宣传周",
    "民法典宣传月": "5月 民法典宣传月",
    "3.15": "3·15 消费者权益日",
    "3·15": "3·15 消费者权益日",
    "消费者权益日": "3·15 消费者权益日",
    "4.15": "4·15 全民国家安全教育日",
    "4·15": "4·15 全民国家安全教育日",
    "国家安全教育日": "4·15 全民国家安全教育日",
    "6.26": "6·26 国际禁毒日",
    "6·26": "6·26 国际禁毒日",
    "禁毒日": "6·26 国际禁毒日",
    "开学第一课": "开学第一课",
    "安全生产月": "6月 安全生产月",
    "重阳节": "九九重阳（老年人权益）",
    "妇女节": "3·8 妇女节",
    "春节": "春节前后",
}
_CHANNELS = {
    "赶集": "赶集日",
    "集市": "赶集日",
    "赶集日": "赶集日",
    "庙会": "庙会",
    "学校": "校园",
    "进校园": "校园",
    "校园": "校园",
    "入户": "进村入户",
    "进村": "进村入户",
    "进村入户": "进村入户",
    "广场": "广场集中宣传",
    "集中宣传": "广场集中宣传",
    "企业": "进企业",
    "进企业": "进企业",
    "微信": "新媒体推送",
    "微信公众号": "新媒体推送",
    "新媒体": "新媒体推送",
    "抖音": "短视频",
    "视频号": "短视频",
    "短视频": "短视频",
    "直播": "直播",
    "讲座": "以案释法/讲座",
    "以案释法": "以案释法/讲座",
}

LEDGERS: dict[str, Ledger] = {
    ledger.key: ledger
    for ledger in (
        Ledger(
            "outreach-events",
            "outreach:events",
            "普法活动台账",
            {
                "活动日期": ("日期", "时间", "活动时间", "宣传日期", "开展时间"),
                "活动主题": ("活动名称", "宣传主题", "主题", "活动内容", "宣传内容"),
                "宣传节点": ("节点", "节日", "宣传节日"),
                "形式(渠道)": ("形式", "活动形式", "宣传形式", "渠道", "宣传方式"),
                "地点": ("活动地点", "宣传地点"),
                "所在村(社区)": ("村", "村(社区)", "所在村", "村别"),
                "主办站所": ("主办单位", "责任单位", "组织单位", "牵头单位"),
                "对象群体": ("宣传对象", "对象", "受众", "受众群体"),
                "受教育人次": (
                    "参与人数",
                    "受教育人数",
                    "受众人次",
                    "覆盖人数",
                    "参加人数",
                    "受教育群众",
                ),
                "发放宣传资料(份)": (
                    "发放资料(份)",
                    "发放资料",
                    "宣传资料(份)",
                    "资料(份)",
                    "宣传品(份)",
                    "发放宣传品",
                ),
                "宣传彩页(份)": ("彩页(份)", "宣传彩页", "彩页"),
                "悬挂横幅(条)": ("横幅(条)", "横幅", "悬挂横幅"),
                "张贴宣传栏(个)": ("宣传栏(个)", "宣传栏", "张贴宣传栏"),
                "展板(块)": ("展板",),
                "现场解答咨询(人次)": ("咨询人次", "现场咨询", "解答咨询(人次)", "现场咨询(人次)"),
                "活动简况": ("备注", "简要情况", "活动情况"),
            },
            {"宣传节点": _KEY_DAYS, "形式(渠道)": _CHANNELS},
        ),
        Ledger(
            "outreach-understanders",
            "outreach:understanders",
            "法律明白人花名册",
            {
                "所在村(社区)": ("村", "村(社区)", "所在村", "村别", "村名"),
                "联系电话": ("电话", "手机", "手机号", "联系方式"),
                "身份": ("职业", "现任职务", "职务", "身份类别"),
                "选聘日期": ("聘任时间", "选聘时间", "聘任日期", "培养时间"),
                "年度培训学时": ("培训学时", "学时"),
            },
        ),
        Ledger(
            "outreach-consultations",
            "outreach:consultations",
            "法律咨询登记表",
            {
                "咨询日期": ("日期", "时间", "咨询时间", "接待时间"),
                "咨询事项": ("咨询内容", "类别", "咨询类别", "事项"),
                "接待咨询(人次)": ("人数", "咨询人数", "人次", "接待人次"),
                "解答问题(条)": ("解答问题", "问题数", "解答问题数"),
                "解答人": ("律师", "接待人", "值班律师", "解答律师"),
                "咨询及解答要点": ("答复意见", "解答情况", "处理结果", "备注"),
                "咨询人所在村": ("村", "所在村", "村(社区)"),
            },
            {
                "咨询事项": {
                    "婚姻": "婚姻家庭",
                    "家庭": "婚姻家庭",
                    "继承": "继承赡养",
                    "赡养": "继承赡养",
                    "土地": "土地承包与宅基地",
                    "宅基地": "土地承包与宅基地",
                    "劳动": "劳动争议与欠薪",
                    "欠薪": "劳动争议与欠薪",
                    "讨薪": "劳动争议与欠薪",
                    "借贷": "借贷与合同",
                    "合同": "借贷与合同",
                    "邻里": "相邻关系",
                    "相邻": "相邻关系",
                    "人身损害": "人身损害赔偿",
                    "交通事故": "人身损害赔偿",
                    "诈骗": "电信网络诈骗",
                }
            },
        ),
        Ledger(
            "governance-studies",
            "governance:studies",
            "学法台账",
            {
                "学习日期": ("日期", "时间", "学习时间"),
                "学习形式": ("形式", "类别", "学习类型"),
                "学习内容": ("内容", "学习主题", "主题"),
                "主讲人(领学人)": ("主讲人", "领学人", "授课人"),
                "参学人数": ("参加人数", "人数", "参会人数"),
            },
            {
                "学习形式": {
                    "中心组学习": "党委理论学习中心组学法",
                    "理论中心组学习": "党委理论学习中心组学法",
                    "中心组": "党委理论学习中心组学法",
                    "周例会": "周例会学法",
                    "党委会": "党委会学法",
                    "党委会学法": "党委会学法",
                    "会前学法": "会前学法",
                    "党课": "专题党课",
                    "集中学习": "集中学法",
                    "专题学习": "专题学习",
                    "讲座": "法治讲座",
                }
            },
        ),
        Ledger(
            "governance-meetings",
            "governance:meetings",
            "法治建设会议台账",
            {
                "会议日期": ("日期", "时间", "会议时间"),
                "会议类型": ("类型", "会议类别"),
                "会议名称": ("会议", "名称", "会议主题"),
                "议题": ("会议内容", "内容"),
                "研究决定事项": ("决定事项", "会议决定", "议定事项"),
                "参会人数": ("人数",),
            },
            {
                "会议类型": {
                    "专题研究": "党委会专题研究",
                    "季度汇报": "季度听取法治建设工作汇报",
                    "听取汇报": "季度听取法治建设工作汇报",
                    "半年会": "半年专题会议",
                    "专题汇报": "法治建设工作专题汇报",
                    "专题会议": "法治建设专题会议",
                    "联席会议": "联席会",
                    "动员会": "动员部署会",
                }
            },
        ),
    )
}


def _translate(
    ledger: Ledger, fileobj: BinaryIO, actor: Any
) -> tuple[BytesIO, dict[str, str], list[int]]:
    """The ledger as a workbook with our headers and labels; our header → the clerk's; and the
    original row number of each written row (blank rows are skipped)."""
    head, rows = core_io.read_sheet(fileobj)
    mapping = ledger.header_map()
    ours: list[str] = []
    back: dict[str, str] = {}
    for name in head:
        target = mapping.get(normalise(name), name)  # unknown names are reported by the import
        ours.append(target)
        back.setdefault(target, name)
    township_name = ""
    if TOWNSHIP not in ours:
        writable = list(scope.writable_townships(actor, IMPORT, ledger.resource.model)[:2])
        if len(writable) == 1:
            township_name = writable[0].name
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(ours + ([TOWNSHIP] if township_name else []))
    numbers: list[int] = []
    try:
        for number, values in rows:
            numbers.append(number)
            out = []
            for header, value in zip(ours, values, strict=False):
                words = ledger.values.get(header)
                if words and isinstance(value, str):
                    value = words.get(value.strip(), value)
                if header == "对象群体" and isinstance(value, str):
                    value = re.sub(r"[,，;；/\s]+", "、", value.strip())
                out.append(value)
            out.extend([None] * (len(ours) - len(out)))
            sheet.append(out + ([township_name] if township_name else []))
    finally:
        rows.close()
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer, back, numbers


def import_ledger(key: str, fileobj: BinaryIO, *, actor: Any) -> ImportResult:
    """Import a clerk's ledger of kind `key` (a key of LEDGERS): all rows or none."""
    ledger = LEDGERS[key]
    try:
        translated, back, numbers = _translate(ledger, fileobj, actor)
    except ValueError as exc:
        return ImportResult(errors=[RowError(None, None, str(exc))])
    result = core_io.import_workbook(ledger.resource, translated, actor=actor)

    def row(n: int | None) -> int | None:
        return numbers[n - 2] if n and 2 <= n < len(numbers) + 2 else n

    result.errors = [
        RowError(row(e.row), back.get(e.column, e.column) if e.column else e.column, e.message)
        for e in result.errors
    ]
    return result
