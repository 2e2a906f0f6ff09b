from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fazhi.portal"
    label = "portal"
    verbose_name = "公开门户"

    def ready(self) -> None:
        # the portal's own section; every module registers its sections from its own app
        # (fazhi/<app>/sections.py, imported by the app's ready())
        from fazhi.portal.sections import Section, register

        register(
            Section(
                key="core.evidence_heads",
                title="证据链校验值",
                description="各乡镇执法全过程记录证据链的最新签名检查点（汇总哈希），供社会各方抄录、日后核对证据未被删改。",
                url_name="portal:evidence",
                order=95,
            )
        )
