"""Every figure the annual report writes for one township-year, as hand-written SQL (the
baseline of bench_report.py): one aggregate per table with a FILTER per figure, the tables'
one-row aggregates cross-joined into one statement, as the registry groups them. Written from
the metric definitions (docs/indicators.md, each module's metrics.py), not generated from them;
bench_report.py checks that both give the same numbers before timing.

Params: t (township id), a/b (the period's first and last day), y (its year). The period must be
over (its end before today): a metric whose deadline falls after today counts only what is
already overdue, which is written here for a past period only.
"""

from __future__ import annotations

from typing import Any

# table alias → (FROM … with joins, [(column, aggregate), …]); the township filter is added
_D = "BETWEEN %(a)s AND %(b)s"
TABLES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "vil": (
        "core_village v",
        [
            ("d", "COUNT(*)"),
            (
                "contact",
                "COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM core_villagecontact c"
                " WHERE c.village_id = v.id AND c.start <= %(b)s"
                ' AND (c."end" IS NULL OR c."end" >= %(b)s)))',
            ),
            (
                "culture",
                "COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM outreach_culturesite s"
                " WHERE s.village_id = v.id AND s.township_id = v.township_id"
                " AND s.built_on <= %(b)s AND s.is_active))",
            ),
            (
                "advisor",
                "COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM legal_advisor a"
                " JOIN legal_advisor_villages av ON av.advisor_id = a.id"
                " WHERE av.village_id = v.id AND a.township_id = v.township_id"
                ' AND a.start <= %(b)s AND (a."end" IS NULL OR a."end" >= %(a)s)))',
            ),
        ],
    ),
    "grid": ("core_grid g", [("d", "COUNT(*)")]),
    "gw": (
        "core_gridassignment ga",
        [
            (
                "d",
                "COUNT(*) FILTER (WHERE ga.full_time AND ga.start <= %(b)s"
                ' AND (ga."end" IS NULL OR ga."end" >= %(b)s))',
            )
        ],
    ),
    "lg": (
        "core_leadinggroupmember m LEFT JOIN core_leadinggroup lg ON lg.id = m.group_id",
        [
            (
                "d",
                "COUNT(*) FILTER (WHERE lg.name LIKE '%%法治%%' AND m.term_start <= %(b)s"
                " AND (m.term_end IS NULL OR m.term_end >= %(b)s))",
            )
        ],
    ),
    "dis": (
        "disputes_dispute d",
        [
            ("d", f"COUNT(*) FILTER (WHERE d.received_on {_D})"),
            (
                "ok",
                f"COUNT(*) FILTER (WHERE d.received_on {_D} AND d.status = 'succeeded'"
                " AND d.concluded_on <= %(b)s)",
            ),
        ],
    ),
    "mt": ("disputes_mediatortraining mt", [("d", f"COUNT(*) FILTER (WHERE mt.held_on {_D})")]),
    "bl": (
        "disputes_backlogcase bc",
        [
            ("coll", f"COUNT(*) FILTER (WHERE bc.collected_on {_D} AND bc.intake = 'collected')"),
            ("res", f"COUNT(*) FILTER (WHERE bc.resolved_on {_D} AND bc.resolution > '')"),
            ("site", f"COUNT(*) FILTER (WHERE bc.resolved_on {_D} AND bc.resolution = 'on_site')"),
            (
                "visit",
                f"COUNT(*) FILTER (WHERE bc.resolved_on {_D} AND bc.resolution = 'by_visit')",
            ),
        ],
    ),
    "pet": (
        "petitions_petition p",
        [
            ("acc", f"COUNT(*) FILTER (WHERE p.accepted_on {_D} AND p.status <> 'escalated')"),
            (
                "due",
                f"COUNT(*) FILTER (WHERE p.accepted_on {_D} AND p.status <> 'escalated'"
                " AND (p.concluded_on <= %(b)s OR p.handling_due_on <= %(b)s))",
            ),
            (
                "ontime",
                f"COUNT(*) FILTER (WHERE p.accepted_on {_D} AND p.status <> 'escalated'"
                " AND p.concluded_on <= %(b)s AND p.concluded_on <= p.handling_due_on)",
            ),
            (
                "closed",
                f"COUNT(*) FILTER (WHERE p.accepted_on {_D} AND p.status <> 'escalated'"
                " AND p.concluded_on <= %(b)s)",
            ),
            ("rated", f"COUNT(*) FILTER (WHERE p.rated_on {_D} AND p.satisfaction <> '')"),
            (
                "satisfied",
                f"COUNT(*) FILTER (WHERE p.rated_on {_D}"
                " AND p.satisfaction IN ('basically', 'satisfied'))",
            ),
        ],
    ),
    "off": (
        "enforcement_officer o",
        [
            ("d", "COUNT(*) FILTER (WHERE o.is_active AND o.kind = 'officer')"),
            (
                "cert",
                "COUNT(*) FILTER (WHERE o.is_active AND o.kind = 'officer' AND EXISTS ("
                "SELECT 1 FROM enforcement_certificate c WHERE c.officer_id = o.id"
                " AND c.status = 'valid' AND c.issued_on <= %(b)s AND c.expires_on >= %(b)s"
                " AND (c.issued_on >= %(a_1)s OR c.checked_year >= %(y_1)s)))",
            ),
        ],
    ),
    "pow": (
        "enforcement_power pw",
        [("d", "COUNT(*) FILTER (WHERE pw.is_active AND pw.published_on <= %(b)s)")],
    ),
    "ecase": (
        "enforcement_enforcementcase ec LEFT JOIN enforcement_power ep ON ep.id = ec.power_id",
        [
            ("filed", f"COUNT(*) FILTER (WHERE ec.filed_on {_D})"),
            (
                "major",
                f"COUNT(*) FILTER (WHERE ec.decided_on {_D} AND ec.procedure = 'ordinary' AND ("
                "ep.legal_review_required OR ec.public_interest OR ec.hearing_on IS NOT NULL"
                " OR ec.complex_case OR (ec.party_kind = 'person' AND ec.fine_amount >= COALESCE(ec.major_fine_limit, 10000))"
                " OR (ec.party_kind <> 'person' AND ec.fine_amount >= COALESCE(ec.major_fine_limit, 100000))))",
            ),
            (
                "reviewed",
                f"COUNT(*) FILTER (WHERE ec.decided_on {_D} AND ec.procedure = 'ordinary' AND ("
                "ep.legal_review_required OR ec.public_interest OR ec.hearing_on IS NOT NULL"
                " OR ec.complex_case OR (ec.party_kind = 'person' AND ec.fine_amount >= COALESCE(ec.major_fine_limit, 10000))"
                " OR (ec.party_kind <> 'person' AND ec.fine_amount >= COALESCE(ec.major_fine_limit, 100000)))"
                " AND EXISTS (SELECT 1 FROM enforcement_legalreview lr WHERE lr.case_id = ec.id"
                " AND lr.passed AND lr.reviewed_on <= ec.decided_on))",
            ),
        ],
    ),
    "disc": (
        "enforcement_disclosure dc LEFT JOIN enforcement_enforcementcase dce ON dce.id = dc.case_id",
        [
            (
                "due",
                f"COUNT(*) FILTER (WHERE dce.decided_on {_D}"
                " AND (dc.due_on <= %(b)s OR dc.published_on <= %(b)s))",
            ),
            (
                "timely",
                f"COUNT(*) FILTER (WHERE dce.decided_on {_D}"
                " AND (dc.due_on <= %(b)s OR dc.published_on <= %(b)s)"
                " AND dc.published_on <= dc.due_on)",
            ),
        ],
    ),
    "sup": (
        "enforcement_supervisionopinion so",
        [
            ("d", f"COUNT(*) FILTER (WHERE so.issued_on {_D})"),
            (
                "due",
                f"COUNT(*) FILTER (WHERE so.issued_on {_D}"
                " AND (so.due_on <= %(b)s OR so.accepted_on <= %(b)s))",
            ),
            ("done", f"COUNT(*) FILTER (WHERE so.issued_on {_D} AND so.accepted_on <= %(b)s)"),
        ],
    ),
    "study": (
        "governance_studysession ss",
        [("all", f"COUNT(*) FILTER (WHERE ss.held_on {_D})")]
        + [
            (kind, f"COUNT(*) FILTER (WHERE ss.held_on {_D} AND ss.kind = '{kind}')")
            for kind in (
                "central_group",
                "committee",
                "weekly",
                "pre_meeting",
                "party_lecture",
                "collective",
                "special",
                "lecture",
            )
        ],
    ),
    "meet": (
        "governance_meeting mg",
        [("all", f"COUNT(*) FILTER (WHERE mg.held_on {_D})")]
        + [
            (kind, f"COUNT(*) FILTER (WHERE mg.held_on {_D} AND mg.kind = '{kind}')")
            for kind in (
                "committee_topic",
                "quarterly_report",
                "half_year",
                "topic_report",
                "special",
                "joint",
                "mobilisation",
            )
        ]
        + [
            (
                "issues",
                f"SUM(mg.issues_count) FILTER (WHERE mg.held_on {_D} AND mg.kind = 'special')",
            )
        ],
    ),
    "tr": (
        "governance_training gt",
        [
            ("all", f"COUNT(*) FILTER (WHERE gt.held_on {_D})"),
            ("training", f"COUNT(*) FILTER (WHERE gt.held_on {_D} AND gt.kind = 'training')"),
            (
                "tests",
                f"COUNT(*) FILTER (WHERE gt.held_on {_D}"
                " AND gt.kind IN ('knowledge_test', 'qualification', 'contest'))",
            ),
        ],
    ),
    "res": (
        "governance_trainingresult r LEFT JOIN governance_training rt ON rt.id = r.training_id",
        [
            ("d", f"COUNT(*) FILTER (WHERE rt.held_on {_D})"),
            ("passed", f"COUNT(*) FILTER (WHERE rt.held_on {_D} AND r.passed)"),
        ],
    ),
    "bud": (
        "governance_budgetline bl",
        [
            ("d", "COUNT(*) FILTER (WHERE bl.year = %(y)s)"),
            ("t", "SUM(bl.amount) FILTER (WHERE bl.year = %(y)s)"),
        ],
    ),
    "task": (
        "governance_task tk",
        [
            ("d", f"COUNT(*) FILTER (WHERE tk.due {_D} AND tk.status <> 'cancelled')"),
            (
                "ontime",
                f"COUNT(*) FILTER (WHERE tk.due {_D} AND tk.status = 'done'"
                " AND tk.completed_on <= tk.due)",
            ),
        ],
    ),
    "dec": (
        "decisions_decision de LEFT JOIN legal_reviewrequest der ON der.id = de.review_id",
        [
            ("d", f"COUNT(*) FILTER (WHERE de.meeting_on {_D})"),
            (
                "consulted",
                f"COUNT(*) FILTER (WHERE de.meeting_on {_D} AND de.comment_start <= de.meeting_on)",
            ),
            (
                "reviewed",
                f"COUNT(*) FILTER (WHERE de.meeting_on {_D} AND der.status = 'concluded'"
                " AND der.outcome IN ('passed', 'modified') AND der.opinion_on <= de.meeting_on)",
            ),
            ("studied", f"COUNT(*) FILTER (WHERE de.meeting_on {_D} AND de.study_id IS NOT NULL)"),
            ("evaluated", f"COUNT(*) FILTER (WHERE de.evaluated_on {_D})"),
        ],
    ),
    "camp": ("inspections_campaign ca", [("d", f"COUNT(*) FILTER (WHERE ca.start {_D})")]),
    "ent": (
        "inspections_enterprise en",
        [
            (
                "d",
                "COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM inspections_inspection i"
                f" WHERE i.enterprise_id = en.id AND i.township_id = en.township_id"
                f" AND i.status = 'done' AND i.inspected_on {_D}))",
            )
        ],
    ),
    "haz": (
        "inspections_hazard hz",
        [
            ("found", f"COUNT(*) FILTER (WHERE hz.found_on {_D})"),
            ("fixed", f"COUNT(*) FILTER (WHERE hz.found_on {_D} AND hz.rectified_on <= %(b)s)"),
        ],
    ),
    "rt": (
        "inspections_randomtarget rtg LEFT JOIN inspections_randomplan rp ON rp.id = rtg.plan_id",
        [("d", f"COUNT(*) FILTER (WHERE rp.start {_D} AND rp.seed > '')")],
    ),
    "ev": (
        "outreach_event oe",
        [("d", f"COUNT(*) FILTER (WHERE oe.held_on {_D})")]
        + [
            (col, f"SUM(oe.{col}) FILTER (WHERE oe.held_on {_D})")
            for col in (
                "audience",
                "materials",
                "leaflets",
                "banners",
                "bulletin_boards",
                "displays",
                "consultations",
            )
        ],
    ),
    "und": (
        "outreach_legalunderstander lu",
        [
            (
                "d",
                "COUNT(*) FILTER (WHERE lu.appointed_on <= %(b)s"
                " AND (lu.left_on IS NULL OR lu.left_on > %(b)s))",
            )
        ],
    ),
    "aw": ("outreach_award aw", [("d", f"COUNT(*) FILTER (WHERE aw.awarded_on {_D})")]),
    "duty": ("outreach_dutysession ds", [("d", f"COUNT(*) FILTER (WHERE ds.held_on {_D})")]),
    "cons": (
        "outreach_consultation oc",
        [
            ("d", f"COUNT(*) FILTER (WHERE oc.held_on {_D})"),
            ("people", f"SUM(oc.people) FILTER (WHERE oc.held_on {_D})"),
            ("questions", f"SUM(oc.questions) FILTER (WHERE oc.held_on {_D})"),
        ],
    ),
    "aid": (
        "outreach_legalaidapplication la",
        [
            ("received", f"COUNT(*) FILTER (WHERE la.received_on {_D})"),
            ("granted", f"COUNT(*) FILTER (WHERE la.decided_on {_D} AND la.status = 'granted')"),
        ],
    ),
    "site": (
        "outreach_culturesite cs",
        [("d", "COUNT(*) FILTER (WHERE cs.is_active AND cs.built_on <= %(b)s)")],
    ),
    "resp": (
        "outreach_responsibilityitem ri",
        [
            ("d", "COUNT(*) FILTER (WHERE ri.year = %(y)s)"),
            (
                "done",
                "COUNT(*) FILTER (WHERE ri.year = %(y)s AND ri.planned <= ("
                "SELECT COUNT(*) FROM outreach_event re WHERE re.responsibility_id = ri.id"
                " AND re.held_on {YEAR_OF_RI}))",
            ),
        ],
    ),
    "adv": (
        "legal_advisor ad",
        [
            (
                "all",
                'COUNT(*) FILTER (WHERE ad.start <= %(b)s AND (ad."end" IS NULL OR ad."end" >= %(a)s))',
            ),
            (
                "township",
                'COUNT(*) FILTER (WHERE ad.start <= %(b)s AND (ad."end" IS NULL OR ad."end" >= %(a)s)'
                " AND ad.is_township_advisor)",
            ),
        ],
    ),
    "rev": (
        "legal_reviewrequest rr",
        [
            ("d", f"COUNT(*) FILTER (WHERE rr.submitted_on {_D})"),
            (
                "due",
                f"COUNT(*) FILTER (WHERE rr.submitted_on {_D} AND rr.status <> 'withdrawn'"
                " AND (rr.opinion_on <= %(b)s OR rr.due_on <= %(b)s))",
            ),
            (
                "ontime",
                f"COUNT(*) FILTER (WHERE rr.submitted_on {_D} AND rr.status <> 'withdrawn'"
                " AND rr.opinion_on <= %(b)s AND rr.opinion_on <= rr.due_on)",
            ),
            (
                "major",
                f"COUNT(*) FILTER (WHERE rr.submitted_on {_D} AND rr.kind = 'major_decision'"
                " AND rr.status = 'concluded' AND rr.opinion_on <= %(b)s)",
            ),
            (
                "major_adv",
                f"COUNT(*) FILTER (WHERE rr.submitted_on {_D} AND rr.kind = 'major_decision'"
                " AND rr.status = 'concluded' AND rr.opinion_on <= %(b)s"
                " AND rr.advisor_id IS NOT NULL AND rr.advisor_opinion <> '')",
            ),
        ],
    ),
    "con": (
        "legal_contract ct LEFT JOIN legal_reviewrequest ctr ON ctr.id = ct.review_id",
        [
            ("d", f"COUNT(*) FILTER (WHERE ct.signed_on {_D} AND ct.status = 'signed')"),
            (
                "reviewed",
                f"COUNT(*) FILTER (WHERE ct.signed_on {_D} AND ct.status = 'signed'"
                " AND ctr.status = 'concluded' AND ctr.outcome IN ('passed', 'modified')"
                " AND ctr.opinion_on <= ct.signed_on)",
            ),
            (
                "advised",
                f"COUNT(*) FILTER (WHERE ct.signed_on {_D} AND ct.status = 'signed'"
                " AND ctr.status = 'concluded' AND ctr.outcome IN ('passed', 'modified')"
                " AND ctr.opinion_on <= ct.signed_on AND ctr.advisor_id IS NOT NULL"
                " AND (ctr.advisor_opinion IS NULL OR ctr.advisor_opinion <> ''))",
            ),
        ],
    ),
    "doc": (
        "legal_normativedocument nd LEFT JOIN legal_reviewrequest ndr ON ndr.id = nd.review_id",
        [
            (
                "d",
                f"COUNT(*) FILTER (WHERE nd.issued_on {_D} AND nd.status IN ('issued', 'filed'))",
            ),
            (
                "reviewed",
                f"COUNT(*) FILTER (WHERE nd.issued_on {_D} AND nd.status IN ('issued', 'filed')"
                " AND ndr.status = 'concluded' AND ndr.outcome IN ('passed', 'modified')"
                " AND ndr.opinion_on <= nd.issued_on)",
            ),
            (
                "fdue",
                f"COUNT(*) FILTER (WHERE nd.issued_on {_D} AND nd.status IN ('issued', 'filed')"
                " AND nd.kind = 'normative'"
                " AND (nd.filed_on <= %(b)s OR nd.filing_due_on <= %(b)s))",
            ),
            (
                "filed",
                f"COUNT(*) FILTER (WHERE nd.issued_on {_D} AND nd.status IN ('issued', 'filed')"
                " AND nd.kind = 'normative' AND nd.filed_on <= %(b)s"
                " AND nd.filed_on <= nd.filing_due_on)",
            ),
        ],
    ),
    "rec": (
        "legal_reconsideration rc",
        [
            ("d", f"COUNT(*) FILTER (WHERE rc.received_on {_D})"),
            (
                "due",
                f"COUNT(*) FILTER (WHERE rc.received_on {_D}"
                " AND (rc.answered_on <= %(b)s OR rc.answer_due_on <= %(b)s)"
                " AND NOT (rc.answered_on IS NULL AND rc.status = 'suspended')"
                " AND NOT (rc.answered_on IS NULL AND rc.decision = 'terminated'"
                " AND rc.decided_on IS NOT NULL AND rc.answer_due_on IS NOT NULL"
                " AND rc.decided_on <= rc.answer_due_on))",
            ),
            (
                "answered",
                f"COUNT(*) FILTER (WHERE rc.received_on {_D}"
                " AND rc.answered_on <= %(b)s AND rc.answered_on <= rc.answer_due_on)",
            ),
            ("decided", f"COUNT(*) FILTER (WHERE rc.decided_on {_D})"),
            (
                "corrected",
                f"COUNT(*) FILTER (WHERE rc.decided_on {_D} AND rc.decision IN ("
                "'change', 'confirm_void', 'revoke', 'order_perform', 'confirm_illegal'))",
            ),
        ],
    ),
    "lit": (
        "legal_litigation li LEFT JOIN legal_reviewrequest lir ON lir.id = li.review_id",
        [
            ("d", f"COUNT(*) FILTER (WHERE li.served_on {_D})"),
            ("judged", f"COUNT(*) FILTER (WHERE li.judged_on {_D})"),
            (
                "lost",
                f"COUNT(*) FILTER (WHERE li.judged_on {_D} AND li.result IN ("
                "'revoked', 'order_perform', 'confirm_illegal', 'changed', 'compensation'))",
            ),
            (
                "due",
                f"COUNT(*) FILTER (WHERE li.served_on {_D}"
                " AND (li.defence_on <= %(b)s OR li.defence_due_on <= %(b)s)"
                " AND NOT (li.defence_on IS NULL AND li.status = 'suspended')"
                " AND NOT (li.defence_on IS NULL AND li.result = 'ended'"
                " AND li.judged_on IS NOT NULL AND li.defence_due_on IS NOT NULL"
                " AND li.judged_on <= li.defence_due_on))",
            ),
            (
                "ontime",
                f"COUNT(*) FILTER (WHERE li.served_on {_D}"
                " AND li.defence_on <= %(b)s AND li.defence_on <= li.defence_due_on)",
            ),
            (
                "advised",
                f"COUNT(*) FILTER (WHERE li.served_on {_D} AND lir.advisor_id IS NOT NULL"
                " AND lir.opinion_on <= li.defence_on"
                " AND (lir.advisor_opinion IS NULL OR lir.advisor_opinion <> ''))",
            ),
        ],
    ),
    "hear": (
        "legal_hearing lh",
        [
            ("d", f"COUNT(*) FILTER (WHERE lh.held_on {_D})"),
            ("head", f"COUNT(*) FILTER (WHERE lh.held_on {_D} AND lh.head_appeared)"),
        ],
    ),
    "jud": (
        "legal_judgment lj",
        [
            ("d", f"COUNT(*) FILTER (WHERE lj.perform_due_on {_D} OR lj.performed_on {_D})"),
            (
                "performed",
                f"COUNT(*) FILTER (WHERE (lj.perform_due_on {_D} OR lj.performed_on {_D})"
                " AND lj.court_finding = '' AND lj.performed_on <= %(b)s"
                " AND lj.performed_on <= lj.perform_due_on)",
            ),
        ],
    ),
}

# metric code → (kind, denominator or count column, numerator column, base column) as
# "table.column"; a sum's column is its total, with the table's count of the same rows as "d"
COUNT, RATE, SUM = "count", "rate", "sum"
METRICS: dict[str, tuple[str, str, str | None, str | None]] = {
    "core.villages": (COUNT, "vil.d", None, None),
    "core.village_contact_coverage": (RATE, "vil.d", "vil.contact", None),
    "outreach.culture_site_coverage": (RATE, "vil.d", "vil.culture", None),
    "legal.village_advisor_coverage": (RATE, "vil.d", "vil.advisor", None),
    "core.grids": (COUNT, "grid.d", None, None),
    "core.grid_workers": (COUNT, "gw.d", None, None),
    "core.leading_group_members": (COUNT, "lg.d", None, None),
    "disputes.screened": (COUNT, "dis.d", None, None),
    "disputes.resolved": (COUNT, "dis.ok", None, "dis.d"),
    "disputes.mediation_success_rate": (RATE, "dis.d", "dis.ok", None),
    "disputes.mediator_trainings": (COUNT, "mt.d", None, None),
    "disputes.backlog_collected": (COUNT, "bl.coll", None, None),
    "disputes.backlog_resolved_on_site": (COUNT, "bl.site", None, "bl.res"),
    "disputes.backlog_resolved_by_visit": (COUNT, "bl.visit", None, "bl.res"),
    "petitions.accepted": (COUNT, "pet.acc", None, None),
    "petitions.closed_on_time_rate": (RATE, "pet.due", "pet.ontime", None),
    "petitions.closure_rate": (RATE, "pet.acc", "pet.closed", None),
    "petitions.satisfaction_rate": (RATE, "pet.rated", "pet.satisfied", None),
    "enforcement.certified_rate": (RATE, "off.d", "off.cert", None),
    "enforcement.published_powers": (COUNT, "pow.d", None, None),
    "enforcement.cases": (COUNT, "ecase.filed", None, None),
    "enforcement.review_rate": (RATE, "ecase.major", "ecase.reviewed", None),
    "enforcement.disclosure_timely_rate": (RATE, "disc.due", "disc.timely", None),
    "enforcement.supervision_opinions": (COUNT, "sup.d", None, None),
    "enforcement.correction_rate": (RATE, "sup.due", "sup.done", None),
    **{
        f"governance.study_{k}": (COUNT, f"study.{k}", None, "study.all")
        for k in (
            "central_group",
            "committee",
            "weekly",
            "pre_meeting",
            "party_lecture",
            "collective",
            "special",
            "lecture",
        )
    },
    **{
        f"governance.meetings_{k}": (COUNT, f"meet.{k}", None, "meet.all")
        for k in (
            "committee_topic",
            "quarterly_report",
            "half_year",
            "topic_report",
            "special",
            "joint",
            "mobilisation",
        )
    },
    "governance.meeting_issues": (SUM, "meet.special", "meet.issues", None),
    "governance.trainings": (COUNT, "tr.training", None, "tr.all"),
    "governance.tests": (COUNT, "tr.tests", None, "tr.all"),
    "governance.test_pass_rate": (RATE, "res.d", "res.passed", None),
    "governance.budget": (SUM, "bud.d", "bud.t", None),
    "governance.task_on_time_rate": (RATE, "task.d", "task.ontime", None),
    "decisions.count": (COUNT, "dec.d", None, None),
    "decisions.participation_rate": (RATE, "dec.d", "dec.consulted", None),
    "decisions.review_rate": (RATE, "dec.d", "dec.reviewed", None),
    "decisions.study_rate": (RATE, "dec.d", "dec.studied", None),
    "decisions.evaluated": (COUNT, "dec.evaluated", None, None),
    "inspections.campaigns": (COUNT, "camp.d", None, None),
    "inspections.enterprises_inspected": (COUNT, "ent.d", None, None),
    "inspections.hazards_found": (COUNT, "haz.found", None, None),
    "inspections.hazards_rectified": (COUNT, "haz.fixed", None, "haz.found"),
    "inspections.random_targets": (COUNT, "rt.d", None, None),
    "outreach.events": (COUNT, "ev.d", None, None),
    **{
        f"outreach.{col}": (SUM, "ev.d", f"ev.{col}", None)
        for col in (
            "audience",
            "materials",
            "leaflets",
            "banners",
            "bulletin_boards",
            "displays",
            "consultations",
        )
    },
    "outreach.understanders": (COUNT, "und.d", None, None),
    "outreach.awards": (COUNT, "aw.d", None, None),
    "outreach.duty_sessions": (COUNT, "duty.d", None, None),
    "outreach.consultation_people": (SUM, "cons.d", "cons.people", None),
    "outreach.consultation_questions": (SUM, "cons.d", "cons.questions", None),
    "outreach.legal_aid_received": (COUNT, "aid.received", None, None),
    "outreach.legal_aid_granted": (COUNT, "aid.granted", None, None),
    "outreach.culture_sites": (COUNT, "site.d", None, None),
    "outreach.responsibility_fulfilment_rate": (RATE, "resp.d", "resp.done", None),
    "legal.advisors": (COUNT, "adv.township", None, "adv.all"),
    "legal.reviews": (COUNT, "rev.d", None, None),
    "legal.review_on_time_rate": (RATE, "rev.due", "rev.ontime", None),
    "legal.advisor_decision_rate": (RATE, "rev.major", "rev.major_adv", None),
    "legal.contract_review_rate": (RATE, "con.d", "con.reviewed", None),
    "legal.contract_advisor_rate": (RATE, "con.d", "con.advised", None),
    "legal.document_review_rate": (RATE, "doc.d", "doc.reviewed", None),
    "legal.filing_on_time_rate": (RATE, "doc.fdue", "doc.filed", None),
    "legal.reconsiderations": (COUNT, "rec.d", None, None),
    "legal.reconsideration_answer_rate": (RATE, "rec.due", "rec.answered", None),
    "legal.reconsideration_corrected": (COUNT, "rec.corrected", None, "rec.decided"),
    "legal.reconsideration_correction_rate": (RATE, "rec.decided", "rec.corrected", None),
    "legal.litigations": (COUNT, "lit.d", None, None),
    "legal.litigation_lost": (COUNT, "lit.lost", None, "lit.judged"),
    "legal.defence_on_time_rate": (RATE, "lit.due", "lit.ontime", None),
    "legal.litigation_advisor_rate": (RATE, "lit.d", "lit.advised", None),
    "legal.head_appearance_rate": (RATE, "hear.d", "hear.head", None),
    "legal.judgment_performance_rate": (RATE, "jud.d", "jud.performed", None),
    "legal.judgments_not_performed": (COUNT, "jud.not_performed", None, "jud.d"),
}
TABLES["jud"][1].append(
    (
        "not_performed",
        f"COUNT(*) FILTER (WHERE (lj.perform_due_on {_D} OR lj.performed_on {_D})"
        " AND NOT (lj.court_finding = '' AND lj.performed_on IS NOT NULL"
        " AND lj.perform_due_on IS NOT NULL AND lj.performed_on <= lj.perform_due_on))",
    )
)


def params(township_id: int, year: int) -> dict[str, Any]:
    import datetime as dt

    return {
        "t": township_id,
        "a": dt.date(year, 1, 1),
        "b": dt.date(year, 12, 31),
        "y": year,
        "a_1": dt.date(year - 1, 1, 1),
        "y_1": year - 1,
    }


def statement(vendor: str) -> tuple[str, list[tuple[str, str]]]:
    """The one statement and its columns as (table alias, column)."""
    year_of_ri = (
        "BETWEEN make_date(ri.year, 1, 1) AND make_date(ri.year, 12, 31)"
        if vendor == "postgresql"
        else "BETWEEN printf('%%04d-01-01', ri.year) AND printf('%%04d-12-31', ri.year)"
    )
    parts, columns = [], []
    for alias, (source, aggregates) in TABLES.items():
        first = source.split()[1]  # the table's own alias
        select = ", ".join(
            f"{agg.replace('{YEAR_OF_RI}', year_of_ri)} AS {alias}_{col}" for col, agg in aggregates
        )
        parts.append(f"(SELECT {select} FROM {source} WHERE {first}.township_id = %(t)s) {alias}")
        columns += [(alias, col) for col, _ in aggregates]
    return "SELECT * FROM " + " CROSS JOIN ".join(parts), columns


def figures(row: tuple[Any, ...], columns: list[tuple[str, str]]) -> dict[str, tuple]:
    """(value, numerator, denominator, recorded?) of each metric, from the statement's row."""
    from decimal import ROUND_HALF_UP, Decimal

    values = {f"{a}.{c}": v for (a, c), v in zip(columns, row, strict=True)}
    out: dict[str, tuple] = {}
    for code, (kind, d, n, b) in METRICS.items():
        rows = values[d] or 0
        if kind == COUNT:
            out[code] = (rows, None, None, bool(rows or (b and values[b])))
        elif kind == SUM:
            total = values[n] if n else None
            out[code] = (total or 0, None, None, bool(rows))
        else:
            num = values[n] or 0
            value = (
                (Decimal(num) * 100 / Decimal(rows)).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if rows
                else None
            )
            out[code] = (value, num, rows, bool(rows))
    return out
