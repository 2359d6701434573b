"""Amendment requests, hearings, family statements and additions to the record (issue #8
item 2; R34–R37, R17).

A rights holder asks to amend specific items of the record; the privacy office decides each
item with reasons and sends written notice (R34); after a refusal the family may ask for a
hearing before an impartial officer (R36); the outcome amends the record or lets the family
place a statement that travels with the contested item (R35). In Massachusetts the family may
add material to the record at any time (R37, 603 CMR 23.08(1)). See docs/amendments.md.
"""
