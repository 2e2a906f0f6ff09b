from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "基础平台"

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib.auth import signals
        from django.utils.module_loading import autodiscover_modules

        from fazhi.core import (  # noqa: F401  (registers handlers, metrics, resources)
            deadlines,
            dropdowns,
            evidence,
            jobs,
            metrics,
            resources_org,
            security,
        )
        from fazhi.openapi_enums import drop_duplicate_choice_sets

        drop_duplicate_choice_sets(settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])

        signals.user_logged_in.connect(security.on_logged_in, dispatch_uid="fazhi_login")
        signals.user_login_failed.connect(security.on_login_failed, dispatch_uid="fazhi_failed")
        signals.user_logged_out.connect(security.on_logged_out, dispatch_uid="fazhi_logout")

        dropdowns.connect()  # a save or delete of a dropdown's rows gives it a new version

        # each app's search.py (global search) and help.py (操作指南) register themselves
        autodiscover_modules("search", "help")
