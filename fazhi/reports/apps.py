from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fazhi.reports"
    label = "reports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        from fazhi.core.resources import NavLink, register_link
        from fazhi.reports import jobs, sections  # noqa: F401  (the batch job, portal section)

        register_link(NavLink("年度报告", "年度报告", "reports:annual_list", "view", order=40))
        register_link(NavLink("年度报告", "报告检查", "reports:check", "view", order=50))
