"""Pages of the record infrastructure: attachments, evidence chains, background jobs."""

from django.urls import path

from fazhi.core.views import attachments, evidence, jobs, pii

urlpatterns = [
    path("attachments/", attachments.upload, name="attachment_upload"),
    path(
        "attachments/<int:pk>/download/",
        attachments.download,
        name="attachment_download",
    ),
    path("evidence/<int:township>/", evidence.chains, name="evidence_chains"),
    path("evidence/<int:township>/<str:chain>/", evidence.chain, name="evidence_chain"),
    path("pii/<str:label>/<int:pk>/<str:field>/", pii.reveal, name="pii_reveal"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/<uuid:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/result/", jobs.job_result, name="job_result"),
]
