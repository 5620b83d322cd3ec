"""Personal pages outside any project: my actions across projects."""

from django.urls import path

from hitpm.stakeholders.views import meetings

app_name = "my"

urlpatterns = [path("actions/", meetings.mine, name="actions")]
