"""Verbs of people's mediation. Each runs in one transaction, checks the scope gate, locks the
row for a status change, validates (Chinese messages naming the field), and writes the change
records and domain events in the same transaction. `actor=None` means the system (demo
loader, jobs, imports run by a command).

Status changes go only through `_transition`, which reads choices.TRANSITIONS.

The verbs live in modules by concern (early_warnings, casefile, workflow, agreements, registration; shared
helpers in _common); every name is re-exported here, so `from fazhi.disputes import services` and
`services.<name>` keep working."""

from __future__ import annotations

from fazhi.disputes.services._common import (  # noqa: F401
    AGREEMENT_NUMBER_KIND,
    NUMBER_KIND,
    _create_object,
    _ensure,
    _event,
    _lock,
    _mediator_user,
    _not_before,
    _not_future,
    _recheck,
    _save,
    _today,
    _transition,
    _update_object,
    _user,
    choose_leader,
    dispute_url,
    justice_staff,
    leader_for,
)
from fazhi.disputes.services.agreements import (  # noqa: F401
    _agreement_court,
    _agreement_effective,
    _court_docking,
    attach_signed_scan,
    create_agreement,
    record_follow_up,
    update_agreement,
)
from fazhi.disputes.services.casefile import (  # noqa: F401
    FILE_ITEMS,
    archive_backlog,
    archive_dispute,
    backlog_file,
    create_backlog,
    create_training,
    dispute_file,
    missing_items,
    resolve_backlog,
)
from fazhi.disputes.services.early_warnings import (  # noqa: F401
    _notify,
    _text,
    check_warnings,
    create_warning,
    handle_warning,
    raise_warning,
    settings_for,
    sweep_overdue,
)
from fazhi.disputes.services.registration import (  # noqa: F401
    REGISTER_FIELDS,
    PartyInput,
    _default_title,
    _link_party,
    _party,
    _reserve,
    add_dispute_party,
    create_dispute,
    delete_dispute,
    register_dispute,
    update_dispute,
)
from fazhi.disputes.services.workflow import (  # noqa: F401
    _linkage_event,
    accept_dispute,
    conclude_dispute,
    escalate_dispute,
    extend_conclusion,
    is_escalated,
    record_linkage,
    record_session,
)
