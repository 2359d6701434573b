"""The OneRoster 1.2 REST rostering service for vendors (issue #7 items 3 and 5).

Read-only, under /ims/oneroster/rostering/v1p2/, for OAuth 2 clients bound to one agreement:
every response carries only what that agreement's sharing plan allows, and every response
carrying student data is recorded as a disclosure (R55–R58, R63, R71, R109).
"""
