"""The case page: where a case stands, what to do next, and the rest in tabs.

A module declares its procedure once — the steps in order and which record statuses mean a
step is the one under way — and the page computes the track from the record:

    PROCEDURE = Procedure(
        steps=(
            Step("register", "登记"),
            Step("accept", "受理", statuses=("registered",), citation="《…》第九条"),
            Step("handle", "办理", statuses=("accepted",), reached=lambda o: o.accepted_on),
            Step("archive", "归档", statuses=("closed",)),
        ),
        done_statuses=("archived",),
        endings={"not_accepted": Ending("不予受理", after="accept")},
    )

The detail view (`fazhi.core.views.case.CaseDetailView`) renders the track, the record's key
facts, the next actions the user may take (links to workflow pages, or small forms posted to
one) and the rest of the record as panels shown as tabs (collapsible sections without
JavaScript, all of them when printed). See docs/adding-a-module.md, "Case pages".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

DONE = "done"
CURRENT = "current"
TODO = "todo"
SKIPPED = "skipped"
ENDED = "ended"

STATE_LABELS = {
    DONE: "已完成",
    CURRENT: "当前环节",
    TODO: "待办",
    SKIPPED: "未经过",
    ENDED: "程序终结",
}


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    #: record statuses in which this step is the one under way (the current step)
    statuses: tuple[str, ...] = ()
    #: the legal basis shown under the step
    citation: str = ""
    #: for steps a case may pass by (复查, 回访): was it taken? Passed steps it returns falsy
    #: for are shown as 未经过 instead of 已完成.
    reached: Callable[[Any], Any] | None = None
    #: a short note once the step is done (the outcome, a date)
    note: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Ending:
    """A status that ends the procedure off the main path (不予受理, 转出)."""

    label: str
    #: the key of the last step taken, or a callable(record) returning it
    after: str | Callable[[Any], str]
    citation: str = ""


@dataclass(frozen=True)
class StepView:
    key: str
    label: str
    state: str
    citation: str = ""
    note: str = ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Procedure:
    steps: tuple[Step, ...]
    #: statuses in which every step is done (the case is finished)
    done_statuses: tuple[str, ...] = ()
    endings: dict[str, Ending] = field(default_factory=dict)
    #: the record's status: a field name, or a callable(record) deriving a stage
    status: str | Callable[[Any], str] = "status"

    def status_of(self, obj: Any) -> str:
        if callable(self.status):
            return str(self.status(obj))
        return str(getattr(obj, self.status))

    def index(self, key: str) -> int:
        for i, step in enumerate(self.steps):
            if step.key == key:
                return i
        raise KeyError(key)

    def track(self, obj: Any) -> list[StepView]:
        """The steps with their state for this record (the current one marked)."""
        status = self.status_of(obj)
        ending = self.endings.get(status)
        if ending is not None:
            after = ending.after(obj) if callable(ending.after) else ending.after
            last = self.index(after)
            views = [self._passed(step, obj) for step in self.steps[: last + 1]]
            views.append(StepView("end", ending.label, ENDED, ending.citation))
            views += [StepView(s.key, s.label, SKIPPED, s.citation) for s in self.steps[last + 1 :]]
            return views
        if status in self.done_statuses:
            return [self._passed(step, obj) for step in self.steps]
        current = next((i for i, s in enumerate(self.steps) if status in s.statuses), None)
        if current is None:  # a status the declaration does not know: show nothing as current
            return [StepView(s.key, s.label, TODO, s.citation) for s in self.steps]
        views = [self._passed(step, obj) for step in self.steps[:current]]
        step = self.steps[current]
        views.append(StepView(step.key, step.label, CURRENT, step.citation))
        views += [StepView(s.key, s.label, TODO, s.citation) for s in self.steps[current + 1 :]]
        return views

    def current(self, obj: Any) -> StepView | None:
        return next((v for v in self.track(obj) if v.state in (CURRENT, ENDED)), None)

    @staticmethod
    def _passed(step: Step, obj: Any) -> StepView:
        if step.reached is not None and not step.reached(obj):
            return StepView(step.key, step.label, SKIPPED, step.citation)
        note = step.note(obj) if step.note is not None else ""
        return StepView(step.key, step.label, DONE, step.citation, str(note or ""))


@dataclass
class CaseAction:
    """A next action: a link to a workflow page, or a small form posted to one.

    `form` (a bound or unbound Django form) with `post_url` renders the form inline in a
    collapsible block; `template` adds content above the form's fields (a checklist)."""

    label: str
    url: str = ""
    primary: bool = False
    danger: bool = False
    help: str = ""
    form: Any = None
    post_url: str = ""
    submit: str = ""
    template: str = ""
    #: download links (.docx) and prints: a plain link, not a step of the procedure
    download: bool = False
    #: the version of the record the form acts on, posted as hidden `version` (checked by
    #: core.views.generic.act_at_version); None: the case's own version (or the form's field)
    version: int | None = None

    @property
    def key(self) -> str:
        from django.utils.text import slugify

        return "act-" + (slugify((self.post_url or self.url).replace("/", " ")) or "x")


@dataclass
class Panel:
    """One tab of the case page: `template` is rendered with the page's context; `html` is a
    fragment rendered elsewhere (the attachments panel)."""

    key: str
    label: str
    template: str = ""
    html: str = ""
    count: int | None = None
    #: extra context for the panel's template
    context: dict[str, Any] = field(default_factory=dict)


def insert_panels(
    panels: list[Panel], new: Iterable[Panel], *, after: str | None = None
) -> list[Panel]:
    """Insert `new` after the panel with key `after` (at the front when None or unknown)."""
    new = list(new)
    keys = [p.key for p in panels]
    at = keys.index(after) + 1 if after in keys else 0
    return [*panels[:at], *new, *panels[at:]]


def order_panels(panels: Sequence[Panel], keys: Sequence[str]) -> list[Panel]:
    """Panels in the order of `keys` first, the rest after in their order."""
    rank = {k: i for i, k in enumerate(keys)}
    return sorted(panels, key=lambda p: rank.get(p.key, len(rank)))
