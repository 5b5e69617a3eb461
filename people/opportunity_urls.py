"""Opportunities, applications, selection and reach reports. Included by people/urls.py."""

urlpatterns = []
