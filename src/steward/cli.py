"""The `steward` command (design.md §4).

`steward <command> [options]` runs the Django management command of that name with Steward's
settings: `generate`, `generate-records`, `import`, `demo`, `serve`, and Django's own (`migrate`,
`createsuperuser`…). A hyphen in the command name stands for an underscore.
"""

from __future__ import annotations

import os
import sys

# Settings a command runs with unless the environment says otherwise. The demo's logins are for
# clicking through: a second factor is offered there, not required (STEWARD_MFA, docs/security.md).
COMMAND_DEFAULTS: dict[str, dict[str, str]] = {"demo": {"STEWARD_MFA": "offered"}}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "steward"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
        for name, value in COMMAND_DEFAULTS.get(args[1], {}).items():
            os.environ.setdefault(name, value)  # before Django reads the settings
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
