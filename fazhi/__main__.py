"""`python -m fazhi …` is manage.py: `python -m fazhi check-report seeds/`, `python -m fazhi load_demo`.

Commands may be spelt with hyphens (`check-report`, `load-demo`): they are Django's
`check_report`, `load_demo`."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
