"""The role → actions table. One place; every gate reads it."""

from __future__ import annotations

from fazhi.core.choices import DepartmentKind, Role

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
IMPORT = "import"
EXPORT = "export"
VIEW_PII = "view_pii"  # see ID numbers, phones and addresses unmasked
ASSESS = "assess"  # write the county's assessment (考核)
MANAGE = "manage"  # users, memberships, calendar, rule overrides
SUPERVISE = (
    "supervise"  # issue enforcement-supervision acts (行政执法监督条例): read-only on the records
)

ACTIONS = (VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT, VIEW_PII, ASSESS, MANAGE, SUPERVISE)
WRITE_ACTIONS = frozenset({ADD, CHANGE, DELETE, IMPORT})

ACTION_LABELS = {
    VIEW: "查看",
    ADD: "新建",
    CHANGE: "修改",
    DELETE: "删除",
    IMPORT: "导入",
    EXPORT: "导出",
    VIEW_PII: "查看个人信息",
    ASSESS: "考核评分",
    MANAGE: "系统管理",
    SUPERVISE: "执法监督",
}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.PLATFORM_ADMIN: frozenset(ACTIONS),
    Role.COUNTY_SUPERVISOR: frozenset({VIEW, EXPORT, ASSESS, SUPERVISE}),
    Role.TOWNSHIP_ADMIN: frozenset(
        {VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT, VIEW_PII, MANAGE, SUPERVISE}
    ),
    Role.TOWNSHIP_OPERATOR: frozenset({VIEW, ADD, CHANGE, DELETE, IMPORT, EXPORT, VIEW_PII}),
    Role.DEPARTMENT_OFFICER: frozenset({VIEW, ADD, CHANGE, EXPORT, VIEW_PII, SUPERVISE}),
    Role.LEGAL_ADVISOR: frozenset({VIEW, ADD, CHANGE}),
    Role.MEDIATOR: frozenset({VIEW, ADD, CHANGE, VIEW_PII}),
    Role.GRID_WORKER: frozenset({VIEW, ADD}),
    Role.VIEWER: frozenset({VIEW}),
}

#: actions a township-level membership holds only at a department (站所) of one of these kinds:
#: enforcement supervision belongs to the township's 司法所 (and, through county memberships, to
#: the county 司法局), not to every township administrator or department officer
#: (《行政执法监督条例》, REGULATIONS.md §11)
DEPARTMENT_KIND_ACTIONS: dict[str, frozenset[str]] = {
    SUPERVISE: frozenset({DepartmentKind.JUSTICE.value})
}

#: roles that may write the organisation records of core (villages, staff, leading group …)
ORG_WRITERS = frozenset({Role.PLATFORM_ADMIN, Role.TOWNSHIP_ADMIN, Role.TOWNSHIP_OPERATOR})
#: the township's own clerks and department officers: who keep a module's ledgers (not villages)
TOWNSHIP_CLERKS = frozenset(
    {Role.PLATFORM_ADMIN, Role.TOWNSHIP_ADMIN, Role.TOWNSHIP_OPERATOR, Role.DEPARTMENT_OFFICER}
)

#: how high a role stands: an administrator manages only accounts whose every role is at or
#: below their own (county roles and the platform administrator stand above any township role)
ROLE_RANK: dict[str, int] = {
    Role.PLATFORM_ADMIN: 100,
    Role.COUNTY_SUPERVISOR: 80,
    Role.TOWNSHIP_ADMIN: 60,
    Role.TOWNSHIP_OPERATOR: 40,
    Role.DEPARTMENT_OFFICER: 30,
    Role.LEGAL_ADVISOR: 30,
    Role.MEDIATOR: 20,
    Role.GRID_WORKER: 20,
    Role.VIEWER: 10,
}
