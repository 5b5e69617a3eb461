"""URLs for `make bench`: the portal plus one floor page to compare against."""

from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.urls import path
from django.utils.html import escape

from coproduction.urls import urlpatterns as portal_urlpatterns


def floor(request):
    """The floor: a minimal authenticated page — session, user, and a 25-row list in one query."""
    rows = "".join(f"<li>{escape(g.name)}</li>" for g in Group.objects.all()[:25])
    return HttpResponse(f"<!DOCTYPE html><title>Floor</title><p>{escape(request.user.email)}</p><ul>{rows}</ul>")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *portal_urlpatterns]
