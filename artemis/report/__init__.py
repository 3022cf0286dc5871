"""The trajectory viewer: self-contained HTML pages for recorded episodes.

`build_report(DIR)` renders one page per episode folder (format `artemis.trajectory/1`), and
an index when `DIR` holds several (a benchmark run). See `artemis.report.build` for where the
pages go, and `artemis report --help` for the command.
"""

from artemis.report.build import Report, build_report

__all__ = ["Report", "build_report"]
