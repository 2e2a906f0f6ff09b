from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "fazhi.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"

    def ready(self) -> None:
        # rules, resources and metrics register here
        from fazhi.enforcement import metrics, resources, rules, sections  # noqa: F401
