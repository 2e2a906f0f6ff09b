"""The verbs of the petition loop. Each runs in one transaction, locks the petition for a status
change, checks the scope gate and the transition table, validates (Chinese messages naming the
field), saves, writes the change record and a domain event, and opens / completes / extends the
statutory deadlines through `core.deadlines`.

登记 → 受理/告知 (15日) | 不予受理 | 异议 (转送、交办: 5个工作日) → 办理 (60日, 延期≤30日)
→ 处理意见书 → 送达 → 满意度评价 → 复查 (30日内申请, 30日内答复) → 复核 (同) → 终结;
导入法定途径 closes the petition; 三级化解 escalations and transfers to mediation are recorded.

Petitioner-side windows (复查/复核 申请期限, 评价期限) are rights of the petitioner, not duties of
staff, so they are computed with the same rules and calendar and stored on the petition instead
of running as staff deadlines (which would raise overdue alarms when a petitioner stays silent).

The verbs live in modules by concern (registration, decisions, opinions, channels, followup; shared
helpers in _common); every name is re-exported here, so `from fazhi.petitions import services` and
`services.<name>` keep working."""

from __future__ import annotations

from fazhi.petitions.services._common import (  # noqa: F401
    CODE_ALPHABET,
    CODE_LENGTH,
    NUMBER_KIND,
    OPINION_NUMBER_KIND,
    REGULATION,
    _begin,
    _check_day,
    _cn,
    _create,
    _ensure,
    _evidence,
    _finish,
    _open,
    _required_text,
    _save,
    _staff_user,
    _Step,
    _user,
    code_matches,
    hash_code,
    new_receipt_code,
    normalise_code,
    today,
    window_due,
)
from fazhi.petitions.services.channels import (  # noqa: F401
    DISPUTE_KIND,
    _disputes_receiver,
    _transfer,
    escalate_to_township,
    hand_up_to_county,
    route_to_legal_channel,
    transfer_to_mediation,
)
from fazhi.petitions.services.decisions import (  # noqa: F401
    accept_petition,
    decline_petition,
    extend_handling,
    extension_limit,
    object_to_assignment,
    refuse_repeat,
)
from fazhi.petitions.services.followup import (  # noqa: F401
    add_backlog_progress,
    available_actions,
    create_backlog_from_resource,
    flag_backlog,
    iter_opinions,
    parties_of,
    rate_petition,
    reissue_code,
    resolve_backlog,
)
from fazhi.petitions.services.opinions import (  # noqa: F401
    _opinion_content,
    _opinion_fields,
    _record_review_level,
    _request_review_level,
    close_lapsed,
    close_petition,
    issue_opinion,
    record_recheck,
    record_review,
    request_recheck,
    request_review,
    serve_opinion,
)
from fazhi.petitions.services.registration import (  # noqa: F401
    EDITABLE_FIELDS,
    LOCKED_AFTER_DECISION,
    PartyInput,
    _normalise_subject,
    _party_ids,
    concluded_after_recheck,
    create_from_resource,
    delete_petition,
    find_same_matter,
    register_petition,
    repeat_refusal_reason,
    resolve_party,
    update_petition,
)
