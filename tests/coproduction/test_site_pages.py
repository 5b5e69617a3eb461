import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["home", "accessibility", "privacy"])
def test_public_pages_use_the_nhs_layout_with_skip_link_and_footer(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    assert 'class="nhsuk-header' in html and 'class="nhsuk-skip-link"' in html
    assert 'href="/accessibility/"' in html and 'href="/privacy/"' in html
    assert html.count("<h1") == 1
    assert "bootstrap" not in html.lower()


def test_privacy_notice_says_what_we_hold_why_and_how_long(client):
    html = client.get(reverse("privacy")).content.decode()
    for words in ["What we keep", "lawful basis", "Your rights", "delete the account after 7 days"]:
        assert words in html


def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] in {"ok", "unavailable"}


def test_deployment_checks_pass_with_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "a-random-production-like-secret-key-0987654321",
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "false", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
