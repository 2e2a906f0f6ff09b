"""The public portal's sections (政务公开 at /gk/): every module adds what it publishes here.

A section is either a township's disclosure (权责清单, 执法公示, 双随机抽查结果, 重大决策, 年度报告 …:
one page per township, shown only for the townships that have something published) or a
platform-wide look-up (信访事项查询 by receipt number and code). A module registers its sections
once, from its AppConfig.ready() or a module imported there:

    from fazhi.portal import sections

    sections.register(sections.Section(
        key="enforcement.powers",
        title="权责清单",
        description="本乡镇依法行使的行政职权及其依据、流程和责任。",
        township_url_name="enforcement_portal:powers",   # reversed with township_id=<pk>
        count=lambda township: Power.objects.filter(township=township, published_on__isnull=False).count(),
        order=10,
    ))

`count(township)` says how many public items the township has (0: the section is not listed for
it); leave it None for a page that always exists. A section whose items are pages of their own
(the published annual reports) gives `links(township)` → [(title, url)] instead. A look-up section sets `url_name` instead of
`township_url_name`. The portal index lists every section and every township with links; a
township's page (/gk/t/<id>/) lists the sections that hold something for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from fazhi.core.models import Township


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    township_url_name: str | None = None
    url_name: str | None = None
    count: Callable[[Township], int] | None = None
    #: instead of one page per township: the township's items as (title, url), e.g. its reports
    links: Callable[[Township], list[tuple[str, str]]] | None = None
    order: int = 100

    def __post_init__(self) -> None:
        if sum(bool(x) for x in (self.township_url_name, self.url_name, self.links)) != 1:
            raise ValueError(
                f"portal section {self.key}: set one of township_url_name, url_name, links"
            )

    @property
    def is_lookup(self) -> bool:
        return self.url_name is not None

    def url(self, township: Township | None = None) -> str:
        if self.url_name:
            return reverse(self.url_name)
        if township is None:
            raise ValueError(f"portal section {self.key} needs a township")
        return reverse(self.township_url_name, kwargs={"township_id": township.pk})


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add (or replace, by key) a section of the portal."""
    _SECTIONS[section.key] = section
    return section


def all_sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def lookups() -> list[Section]:
    return [s for s in all_sections() if s.is_lookup]


def for_township(township: Township) -> list[dict[str, Any]]:
    """The disclosure sections that hold something for this township, with links and counts."""
    shown = []
    for s in all_sections():
        if s.is_lookup:
            continue
        if s.links is not None:
            links = s.links(township)
            if links:
                shown.append({"section": s, "links": links, "count": len(links)})
            continue
        count = s.count(township) if s.count is not None else None
        if count == 0:
            continue
        shown.append({"section": s, "url": s.url(township), "count": count})
    return shown
