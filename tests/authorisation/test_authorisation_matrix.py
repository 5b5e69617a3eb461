"""Every URL × persona, GET and an empty POST: the outcome the matrix says, and never a 500."""

import pytest
from django.urls import get_resolver, reverse

from tests.authorisation.matrix import EXEMPT_PREFIXES, LOGIN, NOT_ALLOWED, PERSONAS, all_rows, world_for

ROWS_BY_NAME = {row.url_name: row for row in all_rows()}


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
    assert not missing, f"URLs with no row in tests/authorisation/rows/: {missing}"


def test_every_rows_module_is_listed_in_topics():
    import pkgutil

    from tests.authorisation import rows
    from tests.authorisation.matrix import TOPICS

    assert sorted(m.name for m in pkgutil.iter_modules(rows.__path__)) == sorted(TOPICS)


def test_matrix_has_no_rows_for_urls_that_are_gone_and_none_twice():
    assert set(ROWS_BY_NAME) <= all_url_names()
    assert len(ROWS_BY_NAME) == len(all_rows())


@pytest.fixture
def world(request):
    return world_for(request)


def _check(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
            f"{url}: expected a sign-in redirect, got {response.status_code}"
        )
    else:
        assert str(response.status_code) == expected, f"{url}: expected {expected}, got {response.status_code}"
        if expected == "302":
            assert "/accounts/login/" not in response["Location"]


CASES = [(name, persona) for name in ROWS_BY_NAME for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "persona"), CASES)
def test_get_and_post_outcomes(url_name, persona, world, client_for):
    row = ROWS_BY_NAME[url_name]
    url = reverse(url_name, args=row.args(world))
    client = client_for(world["people"].get(persona))
    response = client.get(url)
    if row.get is None:
        _check(response, LOGIN if persona == "visitor" else NOT_ALLOWED, url)
    else:
        _check(response, row.get[persona], url)
    if row.post is not None:
        _check(client.post(url, {}), row.post[persona], url)
