import time

from django.core.management.base import BaseCommand

from fazhi.core import jobs


class Command(BaseCommand):
    help = "运行后台任务（导入、批量报告、期限巡检）。--once 处理完排队任务后退出。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理完当前排队任务后退出")
        parser.add_argument("--interval", type=float, default=2.0, help="空闲时轮询间隔(秒)")

    def handle(self, *args, once: bool = False, interval: float = 2.0, **options):
        worker = jobs.worker_name()
        if once:
            count = jobs.run_pending(worker=worker)
            self.stdout.write(f"处理任务 {count} 个")
            return
        queued = jobs.schedule_all_daily()  # daily jobs re-queue themselves from then on
        names = "、".join(jobs.label_of(job.kind) for job in queued)
        self.stdout.write(f"任务进程 {worker} 已启动；每日任务：{names}")
        while True:
            if not jobs.run_pending(limit=10, worker=worker):
                time.sleep(interval)
