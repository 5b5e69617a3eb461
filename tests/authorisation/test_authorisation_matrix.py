import pytest
from django.urls import get_resolver, reverse

from coproduction.models import Invitation
from tests.authorisation.matrix import (
    EXEMPT_PREFIXES,
    LOGIN,
    NOT_ALLOWED,
    PERSONAS,
    ROWS,
)

ROWS_BY_NAME = {row.url_name: row for row in ROWS}


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= all_url_names(pattern, inner)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row_in_the_matrix():
    missing = sorted(n for n in all_url_names() if not n.startswith(EXEMPT_PREFIXES) and n not in ROWS_BY_NAME)
    assert not missing, f"URLs with no row in tests/authorisation/matrix.py: {missing}"


def test_matrix_has_no_rows_for_urls_that_are_gone():
    assert set(ROWS_BY_NAME) <= all_url_names()


@pytest.fixture
def world(administrator):
    """The objects the matrix's URLs point at. Later features add theirs."""
    return {
        "invitation": Invitation.objects.create(
            email="new.person@example.org", name="New Person", role="Staff", invited_by=administrator
        ),
    }


def _check(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
            f"{url}: expected a sign-in redirect, got {response.status_code}"
        )
    else:
        assert str(response.status_code) == expected, f"{url}: expected {expected}, got {response.status_code}"
        if expected == "302":
            assert "/accounts/login/" not in response["Location"]


CASES = [(row.url_name, persona) for row in ROWS for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "persona"), CASES, indirect=["persona"])
def test_get_and_post_outcomes(url_name, persona, world, client_for, request):
    row = ROWS_BY_NAME[url_name]
    persona_name = request.node.callspec.params["persona"]
    url = reverse(url_name, args=row.args(world))
    client = client_for(persona)
    response = client.get(url)
    if row.get is None:
        expected = LOGIN if persona_name == "visitor" else NOT_ALLOWED
        _check(response, expected, url)
    else:
        _check(response, row.get[persona_name], url)
    if row.post is not None:
        _check(client.post(url, {}), row.post[persona_name], url)
