from django.urls import path

from hitpm.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.project_trail, name="project"),
    path("entry/<int:seq>/", views.entry_changes, name="entry"),
    path("<str:model>/<str:object_id>/", views.object_history, name="object"),
]
