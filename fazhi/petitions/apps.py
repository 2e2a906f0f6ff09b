from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "fazhi.petitions"
    label = "petitions"
    verbose_name = "信访"

    def ready(self) -> None:
        # registers deadline rules, resources, metrics and job handlers
        from fazhi.petitions import jobs, metrics, resources, rules, sections  # noqa: F401
