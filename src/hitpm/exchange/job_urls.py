from django.urls import path

from hitpm.exchange import job_views

app_name = "exchange-jobs"

urlpatterns = [
    path("", job_views.new_project, name="new_project"),
    path("jobs/<int:job_id>/", job_views.job, name="job"),
    path("jobs/<int:job_id>/mapping/", job_views.mapping, name="mapping"),
]
