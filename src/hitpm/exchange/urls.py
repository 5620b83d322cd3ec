from django.urls import path

from hitpm.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("import/", views.upload, name="upload"),
    path("feeds/", views.feed_new, name="feed_new"),
    path("feeds/<int:feed_id>/revoke/", views.feed_revoke, name="feed_revoke"),
]
