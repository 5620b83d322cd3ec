from django.urls import path

from hitpm.exchange import feed_views

app_name = "exchange-feeds"

urlpatterns = [path("<str:token>.ics", feed_views.calendar_feed, name="feed")]
