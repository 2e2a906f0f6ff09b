from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fazhi.core import demo


class Command(BaseCommand):
    help = (
        "加载五个种子乡镇及两个生成的邻镇（演示）的演示数据（县、乡镇、站办所、领导小组、人员、村、网格、各模块台账与演示账号）。"
        "可重复运行：第二次运行不改变任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="在生产配置下也加载（演示账号使用公开的密码，请勿用于正式环境）",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if getattr(settings, "PRODUCTION", False) and not allow_production:
            raise CommandError(
                "生产配置下不加载演示数据：演示账号的密码是公开的。确需加载请加 --allow-production。"
            )
        from fazhi.indicators import registry

        result = demo.load()
        verbosity = options.get("verbosity", 1)
        if verbosity >= 2:
            for line in result.lines():
                self.stdout.write("  " + line)
        self.stdout.write(
            f"演示数据已加载：新建 {result.total('created')} 条，更新 {result.total('updated')} 条，"
            f"未变 {result.total('unchanged')} 条。"
        )
        if verbosity >= 1:
            for name, township in result.townships.items():
                year = demo.report_year(name)
                figures = registry.compute_group("core", township, registry.Period.year(year))
                shown = "，".join(f"{f.metric.label} {f.display}" for f in figures)
                self.stdout.write(f"  {township.county}{name}（{year}年）：{shown}")
