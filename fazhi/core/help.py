"""操作指南: a help page per module, written for the clerk, reachable from every page (the
top bar's 操作指南 opens the guide of the module whose page is open).

A module registers its guide in its own `help.py` (discovered at start-up):

    from fazhi.core.help import HelpTopic, register

    register(HelpTopic("disputes", "矛盾纠纷调解", paths=("/disputes/",), intro="…",
                       sections=(("登记纠纷", "…"), …)))

Texts are plain Chinese; a blank line starts a new paragraph, lines starting with "1." or "·"
become a list.
"""

from __future__ import annotations

from dataclasses import dataclass

_REGISTRY: dict[str, HelpTopic] = {}


@dataclass(frozen=True)
class HelpTopic:
    key: str
    title: str
    #: URL prefixes of the module's pages ("/disputes/"); the longest match wins
    paths: tuple[str, ...] = ()
    intro: str = ""
    sections: tuple[tuple[str, str], ...] = ()
    order: int = 50


def register(topic: HelpTopic) -> HelpTopic:
    _REGISTRY[topic.key] = topic
    return topic


def get(key: str) -> HelpTopic | None:
    return _REGISTRY.get(key)


def topics() -> list[HelpTopic]:
    return sorted(_REGISTRY.values(), key=lambda t: (t.order, t.key))


def for_path(path: str) -> HelpTopic | None:
    """The guide of the page at `path` (longest matching prefix), or None."""
    best: tuple[int, HelpTopic] | None = None
    for topic in _REGISTRY.values():
        for prefix in topic.paths:
            if path.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), topic)
    return best[1] if best else None


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """A text as ("p", [paragraph]) and ("ol"/"ul", [items]) blocks for the template."""
    out: list[tuple[str, list[str]]] = []
    for para in [p.strip() for p in text.strip().split("\n\n") if p.strip()]:
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        if all(_numbered(line) for line in lines):
            out.append(("ol", [line.split(".", 1)[1].strip() for line in lines]))
        elif all(line.startswith("·") for line in lines):
            out.append(("ul", [line[1:].strip() for line in lines]))
        else:
            out.append(("p", [" ".join(lines)]))
    return out


def _numbered(line: str) -> bool:
    head = line.split(".", 1)[0]
    return "." in line and head.isdigit()


register(
    HelpTopic(
        "basics",
        "平台基本操作",
        paths=("/", "/t/", "/deadlines/", "/notifications/", "/search/", "/notices/", "/account/"),
        order=0,
        intro="本平台把乡镇法治政府建设的各项台账放在一处：每项工作按法定程序和期限办理，"
        "页面上的每个数字都来自台账记录，可以点开查看是哪些记录。",
        sections=(
            (
                "登录与退出",
                "使用管理员发给您的账号登录。首次登录或管理员重置密码后，系统会要求您先修改密码。\n\n"
                "长时间不操作，系统会自动退出登录，请重新登录；离开电脑时请点右上角“退出”。",
            ),
            (
                "菜单怎么用",
                "顶部菜单按工作分组：“工作台”是每天先看的地方（我的期限、提醒、通知公告）；"
                "各业务模块（信访、矛盾纠纷调解等）排在后面，每组最上面加粗的是“新建”入口"
                "（如登记信访事项、登记纠纷），下面是台账和统计。\n\n"
                "您只看得到您的角色可以使用的菜单，看不到的内容不是丢了，而是不在您的权限范围内。",
            ),
            (
                "办理一件案件",
                "1. 从台账列表点开案件编号，进入案件页面。\n"
                "2. 页面上方的步骤条显示案件办到了哪一步，红框是当前环节。\n"
                "3. “下一步办理”里是现在可以做的事，最常用的排在最前面；点按钮填写后提交。\n"
                "4. 当事人、期限、文书、附件、变更记录等放在下方的标签页里，点标签切换。",
            ),
            (
                "查找记录",
                "顶部的搜索框可以按案件编号、登记编号、当事人姓名、村(社区)名称或事项标题查找，"
                "至少输入两个字。只显示您有权查看的记录；身份证号、电话不能用来搜索，"
                "结果中也只显示部分号码。",
            ),
            (
                "期限和提醒",
                "“我的期限”列出您负责的和本乡镇的法定期限，临近届满和已超期的排在前面；"
                "届满前系统会发提醒，超期会提醒分管领导。期限按工作日历计算，节假日和调休已经考虑。",
            ),
            (
                "打印",
                "台账列表、统计表、报告检查结果和案件页面都有“打印”按钮，打印时不带菜单和按钮；"
                "列表打印的是当前筛选条件下的全部记录。",
            ),
            (
                "填表时",
                "带红色星号的是必填项。提交后如有错误，页面顶部会列出需要更正的地方，"
                "每个错误也显示在对应的栏目下面，改正后再提交，之前填的内容不会丢。"
                "下拉框选项很多时可以直接输入文字查找。",
            ),
        ),
    )
)

register(
    HelpTopic(
        "org",
        "组织与人员",
        paths=(
            "/counties/",
            "/townships/",
            "/villages/",
            "/grids/",
            "/departments/",
            "/staff/",
            "/leading-groups/",
            "/leading-group-members/",
            "/village-contacts/",
            "/grid-workers/",
        ),
        order=80,
        intro="这里维护乡镇的基本情况：村(社区、场)、网格、站办所、工作人员、法治建设领导小组和分包领导。"
        "其他模块的下拉选项都来自这里，请先把这些信息录入完整。",
        sections=(
            (
                "录入顺序",
                "1. 村(社区、场)\n2. 站办所\n3. 工作人员\n4. 网格和网格员\n"
                "5. 法治建设领导小组及成员\n6. 分包领导（每个村由哪位领导分包，预警会发给他）",
            ),
            (
                "批量导入",
                "每个台账都可以“导出”成Excel，也可以下载“导入模板”填好后“导入”。"
                "导入是全部成功或全部不导入：有一行出错，系统会指出第几行哪一列，什么都不会写入，"
                "改好后重新导入即可。",
            ),
            (
                "修改和删除",
                "每次修改都会留下变更记录（谁、什么时候、改前改后）。已被其他记录使用的信息"
                "（如已有案件的村）不能删除。",
            ),
        ),
    )
)

register(
    HelpTopic(
        "admin",
        "系统管理",
        paths=(
            "/users/",
            "/memberships/",
            "/roles/",
            "/calendar/",
            "/rules/",
            "/security/",
        ),
        order=99,
        intro="系统管理只有管理员能看到：账号与角色、登录日志、在线用户、节假日与调休、期限规则。",
        sections=(
            (
                "开账号",
                "1. 系统管理 › 账号与角色 › 新建账号，填写姓名和初始密码。\n"
                "2. 给账号分配角色和所属单位（乡镇、站办所或村）。\n"
                "3. 把账号和初始密码当面告诉本人；本人首次登录必须修改密码。",
            ),
            (
                "忘记密码、人员调离",
                "忘记密码：在账号页面“重置密码”，本人下次登录时必须改掉。"
                "人员调离：停用账号或撤销其角色，不要删除，历史记录里仍会显示他的名字。",
            ),
            (
                "登录日志和在线用户",
                "登录日志记录每次登录成功和失败的时间和地址，用于发现密码被人试探。"
                "在线用户列出正在使用系统的账号；发现异常可以“强制退出”，对方需要重新登录。"
                "您只能管理本乡镇、且角色不高于您的账号。",
            ),
            (
                "节假日与调休",
                "法定期限按工作日计算。系统已内置国家公布的节假日；下一年的安排公布后，"
                "如系统尚未更新，请在“节假日与调休”里补录。",
            ),
        ),
    )
)
