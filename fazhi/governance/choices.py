"""Choices of the governance module: stable English values, Chinese labels."""

from __future__ import annotations

from django.db import models


class StudyKind(models.TextChoices):
    CENTRAL_GROUP = "central_group", "党委理论学习中心组学法"
    COMMITTEE = "committee", "党委会学法"
    WEEKLY = "weekly", "周例会学法"
    PRE_MEETING = "pre_meeting", "会前学法"
    PARTY_LECTURE = "party_lecture", "专题党课"
    COLLECTIVE = "collective", "集中学法"
    SPECIAL = "special", "专题学习"
    LECTURE = "lecture", "法治讲座"


class MeetingKind(models.TextChoices):
    COMMITTEE_TOPIC = "committee_topic", "党委会专题研究"
    QUARTERLY_REPORT = "quarterly_report", "季度听取法治建设工作汇报"
    HALF_YEAR = "half_year", "半年专题会议"
    TOPIC_REPORT = "topic_report", "法治建设工作专题汇报"
    SPECIAL = "special", "法治建设专题会议"
    JOINT = "joint", "联席会"
    MOBILISATION = "mobilisation", "动员部署会"
    OTHER = "other", "其他会议"


class TrainingKind(models.TextChoices):
    TRAINING = "training", "培训"
    QUALIFICATION = "qualification", "资格考试"
    KNOWLEDGE_TEST = "knowledge_test", "知识测试"
    CONTEST = "contest", "技能比武"


#: kinds whose participants are scored (pass rate counts their results)
TEST_KINDS = frozenset(
    {TrainingKind.QUALIFICATION, TrainingKind.KNOWLEDGE_TEST, TrainingKind.CONTEST}
)


class Audience(models.TextChoices):
    CADRES = "cadres", "机关干部"
    LEADERS = "leaders", "领导班子成员"
    VILLAGE_CADRES = "village_cadres", "村(场)干部"
    ENFORCEMENT = "enforcement", "行政执法人员"
    LEGAL_UNDERSTANDERS = "legal_understanders", "法律明白人"
    MIXED = "mixed", "镇村干部"


class DutyHolder(models.TextChoices):
    SECRETARY = "secretary", "党委书记"
    HEAD = "head", "乡镇长"
    BOTH = "both", "党政主要负责人"


class TaskStatus(models.TextChoices):
    PLANNED = "planned", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.PLANNED: frozenset({TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CANCELLED}),
    TaskStatus.IN_PROGRESS: frozenset({TaskStatus.DONE, TaskStatus.CANCELLED}),
    TaskStatus.DONE: frozenset({TaskStatus.IN_PROGRESS}),
    TaskStatus.CANCELLED: frozenset({TaskStatus.PLANNED}),
}


class Comparator(models.TextChoices):
    AT_LEAST = "ge", "不少于（≥）"
    AT_MOST = "le", "不多于（≤）"
    EQUAL = "eq", "等于（=）"


class BudgetKind(models.TextChoices):
    PUBLICITY = "publicity", "普法宣传"
    TRAINING = "training", "法治培训"
    ADVISER = "adviser", "法律顾问"
    CULTURE = "culture", "法治文化阵地"
    MEDIATION = "mediation", "人民调解"
    OTHER = "other", "其他法治工作"
