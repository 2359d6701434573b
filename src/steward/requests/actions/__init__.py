"""Every write of the requests app (design.md §3 rule 2): each function runs in one
transaction and writes its ledger entry in it."""

from steward.requests.actions.fulfilment import (
    FORMATS,
    do_fulfil_request,
    do_make_copy,
    do_record_download,
    do_record_preview,
    latest_copy,
    may_download,
)
from steward.requests.actions.handling import (
    do_assign_request,
    do_mark_notice_mailed,
    do_record_lookup,
    do_refuse_request,
    do_schedule_meeting,
    do_start_request,
    do_withdraw_request,
    record_reminder,
)
from steward.requests.actions.intake import do_enter_request, do_submit_request

__all__ = [
    "FORMATS",
    "do_assign_request",
    "do_enter_request",
    "do_fulfil_request",
    "do_make_copy",
    "do_mark_notice_mailed",
    "do_record_download",
    "do_record_lookup",
    "do_record_preview",
    "do_refuse_request",
    "do_schedule_meeting",
    "do_start_request",
    "do_submit_request",
    "do_withdraw_request",
    "latest_copy",
    "may_download",
    "record_reminder",
]
