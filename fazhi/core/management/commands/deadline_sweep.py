import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from fazhi.core import deadlines


class Command(BaseCommand):
    help = (
        "期限巡检：即将到期的提醒责任人，已逾期的提醒责任人并报督办领导（每项只提醒一次，可重复运行）。"
        "--enqueue 改为排入后台任务；--daily 排入每日06:00自动巡检。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期巡检（YYYY-MM-DD，默认今天）")
        parser.add_argument("--enqueue", action="store_true", help="排入后台任务，由 run_jobs 执行")
        parser.add_argument(
            "--daily", action="store_true", help="确保已排入每日巡检任务（由 run_jobs 循环执行）"
        )

    def handle(self, *args, date=None, enqueue=False, daily=False, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from exc
        if daily:
            job = deadlines.schedule_daily_sweep()
            self.stdout.write(f"每日期限巡检已排入：任务 {job.pk}，计划时间 {job.run_after}")
            return
        if enqueue:
            from fazhi.core import jobs

            params = {"today": today.isoformat()} if today else {}
            job = jobs.enqueue(deadlines.SWEEP_JOB, params=params)
            self.stdout.write(f"期限巡检已排入后台任务：{job.pk}")
            return
        counts = deadlines.sweep(today)
        self.stdout.write(
            f"期限巡检完成：检查{counts['checked']}项，到期提醒{counts['reminders']}条，"
            f"逾期提醒{counts['overdue']}条，逾期督办{counts['escalations']}条"
        )
