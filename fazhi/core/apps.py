from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "基础平台"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from fazhi.core import deadlines, jobs, metrics, resources_org  # noqa: F401  (registers handlers, metrics, resources)

        # each app's search.py (global search) and help.py (操作指南) register themselves
        autodiscover_modules("search", "help")
