from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "fazhi.governance"
    label = "governance"
    verbose_name = "法治建设责任与学法"

    def ready(self) -> None:
        # rules, resources and metrics register here
        from fazhi.governance import metrics, reminders, resources, rules  # noqa: F401
