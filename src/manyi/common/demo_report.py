"""What an app's demo loader reports back, shared by every app that contributes a demo.

``manage.py load_demo`` (in ``portal``) calls each installed app's ``demo.load_demo(report)``
in ``DEMO_ORDER`` and prints the report: the demo accounts, then any lines the apps added.
"""

from dataclasses import dataclass, field


@dataclass
class DemoReport:
    password: str = ""
    # (role label, email, organisation name) for each demo login
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    # further lines worth printing (report URLs, counts)
    lines: list[str] = field(default_factory=list)
