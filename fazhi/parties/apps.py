from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "fazhi.parties"
    label = "parties"
    verbose_name = "当事人索引"

    def ready(self) -> None:
        from fazhi.parties import resources  # noqa: F401  (registers resources and links)
