from people import opportunity_urls, profile_urls, training_urls

app_name = "people"

urlpatterns = profile_urls.urlpatterns + opportunity_urls.urlpatterns + training_urls.urlpatterns
