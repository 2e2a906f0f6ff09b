"""Background jobs: claimed once, failures recorded, progress and log visible while running, a
result file downloadable from the jobs page, which shows only the user's own and scoped jobs."""

from __future__ import annotations

import threading
from collections import Counter as Tally

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse

from fazhi.core import jobs
from fazhi.core.choices import JobStatus
from fazhi.core.models import Job


@jobs.handler("tests.ok")
def _ok(job: Job) -> dict:
    return {"echo": job.params.get("value")}


@jobs.handler("tests.fail")
def _fail(job: Job) -> dict:
    jobs.step(job, 1, 3, "读取第1行")
    raise ValueError("第3行第2列：日期格式不正确")


SEEN: dict[str, object] = {}


@jobs.handler("tests.progress")
def _progress(job: Job) -> dict:
    jobs.step(job, 0, 2, "开始")
    jobs.step(job, 1, message="完成第1项")
    fresh = Job.objects.get(pk=job.pk)  # what another connection / the page would read
    SEEN.update(progress=fresh.progress, total=fresh.total, log=fresh.log, status=fresh.status)
    jobs.step(job, 2, message="完成第2项")
    return {"items": 2}


@jobs.handler("tests.result")
def _result(job: Job) -> dict:
    path = jobs.result_path(job, "汇总表.txt")
    path.write_text("合计：3件", encoding="utf-8")
    job.result_file = str(path)
    return {"file": path.name}


RUNS: Tally = Tally()
RUNS_LOCK = threading.Lock()


@jobs.handler("tests.count")
def _count(job: Job) -> dict:
    with RUNS_LOCK:
        RUNS[str(job.pk)] += 1
    return {}


@pytest.fixture
def result_dir(settings, tmp_path):
    settings.JOB_RESULT_DIR = tmp_path / "jobs"
    return settings.JOB_RESULT_DIR


@pytest.mark.django_db
class TestWorker:
    def test_a_job_is_claimed_by_one_worker_only(self, cast):
        job = jobs.enqueue("tests.ok", actor=cast.a_operator, township=cast.a)
        first = jobs.claim("worker-1")
        assert first is not None and first.pk == job.pk
        assert first.status == JobStatus.RUNNING and first.claimed_by == "worker-1"
        assert jobs.claim("worker-2") is None
        assert Job.objects.get(pk=job.pk).claimed_by == "worker-1"

    def test_the_claim_is_a_conditional_update(self, cast):
        """Two workers that both saw the job as queued: only the first UPDATE wins."""
        job = jobs.enqueue("tests.ok", township=cast.a)
        seen_by_both = list(
            Job.objects.filter(status=JobStatus.QUEUED).values_list("pk", flat=True)
        )
        assert seen_by_both == [job.pk]
        assert jobs.claim("worker-1").pk == job.pk
        again = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, claimed_by="worker-2"
        )
        assert again == 0

    def test_jobs_run_to_success_with_their_result(self, cast):
        job = jobs.enqueue("tests.ok", township=cast.a, params={"value": "甲"})
        assert jobs.run_pending() == 1
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED and job.result == {"echo": "甲"}
        assert job.started_at and job.finished_at and job.claimed_by

    def test_failure_is_recorded_with_its_error_text(self, cast):
        job = jobs.enqueue("tests.fail", township=cast.a)
        jobs.run_pending()
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert "第3行第2列：日期格式不正确" in job.error
        assert "Traceback" not in job.error and "ValueError" not in job.error
        assert job.progress == 1 and job.total == 3 and "读取第1行" in job.log

    def test_unexpected_failure_shows_a_chinese_message_and_logs_the_traceback(self, cast, caplog):
        jobs.handler("tests.crash")(lambda job: {}["missing"])
        job = jobs.enqueue("tests.crash", township=cast.a)
        jobs.run_pending()
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert "系统错误" in job.error and str(job.pk) in job.error
        assert "KeyError" not in job.error and "Traceback" not in job.error
        assert "KeyError" in caplog.text

    def test_unknown_kind_fails_clearly(self, cast):
        job = Job.objects.create(kind="tests.nobody-handles-this")
        jobs.run_pending()
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and "没有处理" in job.error

    def test_enqueue_refuses_an_unknown_kind(self):
        with pytest.raises(ValueError):
            jobs.enqueue("tests.nobody-handles-this")

    def test_progress_and_log_are_written_while_running(self, cast):
        job = jobs.enqueue("tests.progress", township=cast.a)
        jobs.run_pending()
        assert SEEN["status"] == JobStatus.RUNNING
        assert (SEEN["progress"], SEEN["total"]) == (1, 2)
        assert "开始" in SEEN["log"] and "完成第1项" in SEEN["log"]
        job.refresh_from_db()
        assert (job.progress, job.total, job.status) == (2, 2, JobStatus.SUCCEEDED)
        assert job.log.count("\n") == 3

    def test_result_file_is_kept(self, cast, result_dir):
        job = jobs.enqueue("tests.result", township=cast.a)
        jobs.run_pending()
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED
        assert job.result_file.startswith(str(result_dir))
        with open(job.result_file, encoding="utf-8") as f:
            assert f.read() == "合计：3件"

    def test_jobs_scheduled_for_later_wait(self, cast):
        from django.utils import timezone

        later = jobs.enqueue(
            "tests.ok", township=cast.a, run_after=timezone.now() + timezone.timedelta(hours=1)
        )
        assert jobs.run_pending() == 0
        assert Job.objects.get(pk=later.pk).status == JobStatus.QUEUED

    def test_run_jobs_once_command_drains_the_queue(self, cast, capsys):
        for _ in range(3):
            jobs.enqueue("tests.ok", township=cast.a)
        call_command("run_jobs", "--once")
        assert "处理任务 3 个" in capsys.readouterr().out
        assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.SUCCEEDED}


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_on_postgresql_run_each_job_once():
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL：多个工作进程并发领取任务需要多个真实连接")
    RUNS.clear()
    ids = {str(jobs.enqueue("tests.count").pk) for _ in range(30)}
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def worker(name: str) -> None:
        try:
            barrier.wait()
            jobs.run_pending(worker=name)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert set(RUNS) == ids and set(RUNS.values()) == {1}
    assert Job.objects.filter(status=JobStatus.SUCCEEDED).count() == 30


@pytest.mark.django_db
class TestJobsPage:
    def test_list_shows_my_jobs_and_my_townships_jobs(self, cast, login):
        mine = jobs.enqueue("tests.ok", actor=cast.a_operator, township=cast.a)
        colleague = jobs.enqueue("tests.ok", actor=cast.a_admin, township=cast.a)
        theirs = jobs.enqueue("tests.ok", actor=cast.b_operator, township=cast.b)
        system = jobs.enqueue("tests.ok")
        response = login(cast.a_operator).get(reverse("core:job_list"))
        assert response.status_code == 200
        shown = {job.pk for job in response.context["page"]}
        assert shown == {mine.pk, colleague.pk}
        assert theirs.pk not in shown and system.pk not in shown
        mine_only = login(cast.a_operator).get(reverse("core:job_list"), {"mine": "1"})
        assert {job.pk for job in mine_only.context["page"]} == {mine.pk}

    def test_a_job_without_township_is_seen_by_its_actor(self, cast, login):
        job = jobs.enqueue("tests.ok", actor=cast.nobody)
        response = login(cast.nobody).get(reverse("core:job_list"))
        assert [j.pk for j in response.context["page"]] == [job.pk]

    def test_county_jobs_are_seen_by_the_county(self, cast, login):
        county_job = jobs.enqueue("tests.ok", county=cast.county)
        other = jobs.enqueue("tests.ok", county=cast.other_county)
        shown = {j.pk for j in login(cast.supervisor).get(reverse("core:job_list")).context["page"]}
        assert county_job.pk in shown and other.pk not in shown

    def test_detail_shows_status_progress_log_and_error(self, cast, login):
        job = jobs.enqueue("tests.fail", actor=cast.a_operator, township=cast.a)
        jobs.run_pending()
        response = login(cast.a_operator).get(reverse("core:job_detail", args=[job.pk]))
        body = response.content.decode()
        assert response.status_code == 200
        assert "失败" in body and "读取第1行" in body and "日期格式不正确" in body
        assert "1/3" in body

    def test_running_job_polls_with_htmx(self, cast, login):
        job = jobs.enqueue("tests.ok", actor=cast.a_operator, township=cast.a)
        client = login(cast.a_operator)
        response = client.get(reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert 'hx-trigger="every 2s"' in body and "<html" not in body
        jobs.run_pending()
        response = client.get(reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
        assert "hx-trigger" not in response.content.decode()

    def test_result_file_download(self, cast, login, result_dir):
        job = jobs.enqueue("tests.result", actor=cast.a_operator, township=cast.a)
        jobs.run_pending()
        client = login(cast.a_viewer)
        detail = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
        assert reverse("core:job_result", args=[job.pk]) in detail
        response = client.get(reverse("core:job_result", args=[job.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).decode() == "合计：3件"
        assert "filename*=utf-8''%E6%B1%87%E6%80%BB%E8%A1%A8.txt" in response["Content-Disposition"]

    def test_other_township_gets_404(self, cast, login, result_dir):
        job = jobs.enqueue("tests.result", actor=cast.a_operator, township=cast.a)
        jobs.run_pending()
        client = login(cast.b_operator)
        assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("core:job_result", args=[job.pk])).status_code == 404

    def test_result_outside_the_job_dir_is_never_served(self, cast, login, result_dir, tmp_path):
        secret = tmp_path / "secret.txt"
        secret.write_text("secret")
        job = jobs.enqueue("tests.ok", actor=cast.a_operator, township=cast.a)
        Job.objects.filter(pk=job.pk).update(result_file=str(secret))
        response = login(cast.a_operator).get(reverse("core:job_result", args=[job.pk]))
        assert response.status_code == 404

    def test_job_without_result_has_no_download(self, cast, login):
        job = jobs.enqueue("tests.ok", actor=cast.a_operator, township=cast.a)
        response = login(cast.a_operator).get(reverse("core:job_result", args=[job.pk]))
        assert response.status_code == 404

    def test_anonymous_is_sent_to_login(self, client):
        assert client.get(reverse("core:job_list")).status_code == 302


def test_daily_jobs_are_queued_once_and_requeue_themselves(db):
    from fazhi.core import jobs as registry

    first = registry.schedule_all_daily()
    assert {j.kind for j in first} >= {"core.deadline_sweep", "disputes.warning_sweep"}
    assert registry.schedule_all_daily() == first  # idempotent
    sweep = next(j for j in first if j.kind == "core.deadline_sweep")
    Job.objects.filter(pk=sweep.pk).update(run_after=None)
    registry.run(registry.claim())
    again = Job.objects.filter(kind="core.deadline_sweep", status="queued")
    assert again.count() == 1 and again.get().pk != sweep.pk
