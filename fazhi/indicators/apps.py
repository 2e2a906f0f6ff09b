from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "fazhi.indicators"
    label = "indicators"
    verbose_name = "指标与考核"

    def ready(self) -> None:
        from fazhi.indicators import resources  # noqa: F401  (registers the declarations' pages)
