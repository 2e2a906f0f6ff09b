from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "基础平台"

    def ready(self) -> None:
        from fazhi.core import deadlines, jobs, metrics, resources_org  # noqa: F401  (registers handlers, metrics, resources)
