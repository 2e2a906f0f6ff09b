from fazhi.core.models.access import Membership
from fazhi.core.models.audit import AppendOnlyError, ChangeRecord, DomainEvent
from fazhi.core.models.base import Authored, ScopedQuerySet, TimeStamped, TownshipScoped
from fazhi.core.models.files import Attachment, Counter, EvidenceCheckpoint, EvidenceEntry
from fazhi.core.models.org import (
    County,
    Department,
    Grid,
    GridAssignment,
    LeadingGroup,
    LeadingGroupMember,
    Staff,
    Township,
    Village,
    VillageContact,
)
from fazhi.core.models.security import (
    AccountSecurity,
    LoginRecord,
    Notice,
    NoticeReceipt,
    RateCounter,
    UserSession,
)
from fazhi.core.models.work import (
    CalendarDay,
    CalendarYear,
    Deadline,
    Job,
    Notification,
    RuleOverride,
)

__all__ = [
    "AccountSecurity",
    "LoginRecord",
    "Notice",
    "NoticeReceipt",
    "RateCounter",
    "UserSession",
    "AppendOnlyError",
    "Attachment",
    "Authored",
    "CalendarDay",
    "CalendarYear",
    "ChangeRecord",
    "Counter",
    "County",
    "Deadline",
    "Department",
    "DomainEvent",
    "EvidenceCheckpoint",
    "EvidenceEntry",
    "Grid",
    "GridAssignment",
    "Job",
    "LeadingGroup",
    "LeadingGroupMember",
    "Membership",
    "Notification",
    "RuleOverride",
    "ScopedQuerySet",
    "Staff",
    "TimeStamped",
    "Township",
    "TownshipScoped",
    "Village",
    "VillageContact",
]
