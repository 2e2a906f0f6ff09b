from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "fazhi.disputes"
    label = "disputes"
    verbose_name = "矛盾纠纷调解"

    def ready(self) -> None:
        # rules, resources, metrics, the party-index source and the job handler register here
        from fazhi.disputes import io, jobs, metrics, party_records, resources, rules  # noqa: F401
