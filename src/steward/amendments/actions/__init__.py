"""Every write of the amendments app (design.md §3 rule 2): each action validates, writes and
records its ledger entry in one transaction.

- `requests`: `do_request_amendment`, `do_withdraw_amendment_request` (R34, R37);
- `decisions`: `do_decide_item` (R34); `writes`: the narrow record writes of an amendment;
- `hearings`: `do_request_hearing`, `do_schedule_hearing`, `do_decide_hearing` (R35, R36);
- `family`: `do_place_statement` (R35), `do_add_material` (R37);
- `reminders`: `do_record_reminder` (the daily sweep's bookkeeping).
"""
