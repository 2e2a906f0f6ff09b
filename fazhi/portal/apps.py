from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fazhi.portal"
    label = "portal"
    verbose_name = "公开门户"

    def ready(self) -> None:
        from fazhi.portal.builtin import register_builtin

        register_builtin()
