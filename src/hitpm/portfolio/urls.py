from django.urls import path

from hitpm.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projects/new/", views.project_create, name="project_create"),
    path("p/<str:code>/", views.project_home, name="project"),
    path("p/<str:code>/edit/", views.project_edit, name="project_edit"),
    path("p/<str:code>/members/", views.members, name="members"),
    path("p/<str:code>/members/add/", views.member_add, name="member_add"),
    path("p/<str:code>/members/<int:user_id>/role/", views.member_role, name="member_role"),
    path("p/<str:code>/members/<int:user_id>/remove/", views.member_remove, name="member_remove"),
]
