from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "fazhi.legal"
    label = "legal"
    verbose_name = "法律顾问与合法性审查"

    def ready(self) -> None:
        # registers deadline rules, resources and metrics
        from fazhi.legal import metrics, resources, rules  # noqa: F401
