"""Workflow pages of decisions, and the public portal pages (catalogue, drafts open for comment
with a comment form without login — throttled —, published decisions)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.core import limits
from fazhi.decisions import forms, rules, services
from fazhi.decisions.choices import Status
from fazhi.decisions.models import Catalogue, Decision, PublicComment
from fazhi.decisions.resources import COMMENTS, DECISIONS
from fazhi.legal import views as legal_views
from fazhi.legal.views import ActionSpec

S = services
ACTIONS: dict[str, ActionSpec] = {
    "open_comment": ActionSpec(
        "公开征求意见",
        forms.OpenCommentForm,
        S.open_comment,
        "已公开征求意见",
        "网上征求意见期限一般不少于30日（条例第十五条）。",
    ),
    "hearing": ActionSpec(
        "登记听证会",
        forms.HearingForm,
        S.record_hearing,
        "已登记听证会",
        "听证材料应当于听证会7日前送达（条例第十六条）。",
    ),
    "close_comment": ActionSpec(
        "汇总公众意见", forms.SummaryForm, S.close_comment, "已汇总公众意见"
    ),
    "expert": ActionSpec("登记专家论证", forms.ExpertForm, S.record_expert, "已登记专家论证"),
    "risk": ActionSpec("登记风险评估", forms.RiskForm, S.record_risk, "已登记风险评估"),
    "review": ActionSpec(
        "送合法性审查",
        forms.ReviewForm,
        S.send_for_review,
        "已送合法性审查",
        "应当保证不少于7个工作日的审查时间，并听取法律顾问意见（条例第二十六、二十八条）。",
    ),
    "discuss": ActionSpec(
        "登记集体讨论决定",
        forms.DiscussForm,
        S.discuss,
        "已登记集体讨论决定",
        "行政首长最后发言并作出决定；会议纪要记录不同意见（条例第三十条）。",
    ),
    "publish": ActionSpec("登记公布", forms.PublishForm, S.publish, "已登记公布"),
    "progress": ActionSpec("登记执行情况", forms.ProgressForm, S.record_progress, "已登记执行情况"),
    "evaluate": ActionSpec("登记决策后评估", forms.EvaluateForm, S.evaluate, "已登记决策后评估"),
    "suspend": ActionSpec(
        "中止执行",
        forms.SuspendExecutionForm,
        S.suspend_execution,
        "已中止执行",
        "未经法定程序不得随意变更或者停止执行；情况紧急的，行政首长可以先决定中止执行（条例第三十七条）。",
    ),
    "resume": ActionSpec(
        "恢复执行",
        forms.ResumeExecutionForm,
        S.resume_execution,
        "已恢复执行",
        "需要作出重大调整的，应当依照条例重新履行相关法定程序（条例第三十七条）。",
    ),
    "archive": ActionSpec(
        "归档",
        forms.OnForm,
        S.archive,
        "已归档",
        "归档前检查整个决策档案是否齐全（条例第三十三条）。",
    ),
}
#: the steps offered in each status (the services still check every gate)
OFFERED: dict[str, tuple[str, ...]] = {
    Status.DRAFTING: ("open_comment",),
    Status.CONSULTING: ("hearing", "close_comment"),
    Status.ARGUING: ("expert", "risk", "review"),
    Status.REVIEWING: ("discuss",),
    Status.DISCUSSION: ("discuss",),
    Status.DECIDED: ("publish",),
    Status.PUBLISHED: ("progress", "suspend"),
    Status.EXECUTING: ("progress", "evaluate", "archive", "suspend"),
    Status.SUSPENDED: ("resume",),
    Status.EVALUATED: ("archive",),
}
legal_views.ACTIONS["decisions"] = ACTIONS
legal_views.ACTIONS["comments"] = {
    "adopt": ActionSpec("记录采纳情况", forms.AdoptionForm, S.record_adoption, "已记录采纳情况")
}
legal_views.MODELS["decisions"] = (Decision, DECISIONS)
legal_views.MODELS["comments"] = (PublicComment, COMMENTS)
act = legal_views.act


def rules_page(request: HttpRequest) -> HttpResponse:
    from fazhi.core.models import Township
    from fazhi.core.rules import effective_rule

    township = Township.objects.visible_to(request.user, "view").select_related("county").first()
    rows = [(r, effective_rule(r.code, township) if township else None) for r in rules.ALL_RULES]
    return render(request, "legal/rules.html", {"rows": rows, "township": township,
                                                "conventions": (), "title": "重大行政决策期限规则"})  # fmt: skip


# --- portal (no login) ------------------------------------------------------------------------
PORTAL_LIMIT = 5  # comments per visitor and hour
PORTAL_WINDOW = 3600


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def portal_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "decisions/portal/index.html", {
        "catalogues": Catalogue.objects.filter(published_on__isnull=False, published_on__lte=today)
        .select_related("township").order_by("-year", "township__name"),
        "open": [d for d in Decision.objects.filter(status=Status.CONSULTING).select_related("township")
                 if d.open_for_comment],
        "published": Decision.objects.filter(published_on__isnull=False).select_related("township")
        .order_by("-published_on")[:50],
    })  # fmt: skip


def portal_decision(request: HttpRequest, pk: int) -> HttpResponse:
    d = Decision.objects.select_related("township").filter(pk=pk).first()
    if d is None or not (d.open_for_comment or d.published_on):
        raise Http404("该决策事项未公开。")
    form = forms.PortalCommentForm(request.POST or None)
    done = False
    status = 200
    if request.method == "POST":
        key = f"decisions:portal:ip:{_ip(request)}"
        # counted before it is checked, atomically (core.limits): concurrent posts cannot all
        # pass; a refused submission gives its count back
        if limits.hit(key, PORTAL_WINDOW) > PORTAL_LIMIT:
            form.add_error(None, "提交过于频繁，请一小时后再试。")
            status = 429
        elif form.is_valid():
            from django.core.exceptions import ValidationError

            try:
                S.submit_public_comment(d, **form.cleaned_data)
            except ValidationError as exc:
                limits.give_back(key)
                form.add_error(None, "；".join(exc.messages))
                status = 400
            else:
                done, form = True, forms.PortalCommentForm()
        else:
            limits.give_back(key)
            status = 400
    return render(request, "decisions/portal/decision.html", {"d": d, "form": form, "done": done},
                  status=status)  # fmt: skip


def catalogue_page(request: HttpRequest, pk: int) -> HttpResponse:
    c = (
        Catalogue.objects.select_related("township")
        .filter(pk=pk, published_on__isnull=False)
        .first()
    )
    if c is None or c.published_on > timezone.localdate():
        raise Http404("该目录未公布。")
    return render(request, "decisions/portal/catalogue.html", {"c": c})
