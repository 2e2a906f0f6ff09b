from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "fazhi.inspections"
    label = "inspections"
    verbose_name = "涉企检查与专项整治"

    def ready(self) -> None:
        # rules, resources, metrics and the import job register here
        from fazhi.inspections import jobs, metrics, resources, rules, sections  # noqa: F401
