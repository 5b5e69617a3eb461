"""Profiles, access needs, equality monitoring and 'your data'. Included by people/urls.py.

Every page here is about the person signed in, so no URL carries an id.
"""

from django.urls import path

from people.views import profiles

urlpatterns = [
    path("profile/", profiles.profile, name="profile"),
    path("profile/edit/", profiles.profile_edit, name="profile_edit"),
    path("profile/access-needs/", profiles.access_needs, name="access_needs"),
    path("profile/equality/", profiles.equality, name="equality"),
    path("your-data/", profiles.your_data, name="your_data"),
    path("your-data/download/", profiles.your_data_download, name="your_data_download"),
    path("your-data/consent/", profiles.consent, name="consent"),
    path("your-data/delete/", profiles.delete_account, name="delete_account"),
    path("your-data/delete/cancel/", profiles.delete_cancel, name="delete_cancel"),
]
