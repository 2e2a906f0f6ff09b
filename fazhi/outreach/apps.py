from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "fazhi.outreach"
    label = "outreach"
    verbose_name = "普法与公共法律服务"

    def ready(self) -> None:
        # rules, resources and metrics register here
        from fazhi.outreach import metrics, portal, resources, rules  # noqa: F401

        portal.register_sections()
