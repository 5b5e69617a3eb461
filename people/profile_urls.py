"""Profiles, access needs, equality monitoring and 'your data'. Included by people/urls.py."""

urlpatterns = []
