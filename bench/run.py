"""`make bench`: load-test the key pages of each role under gunicorn on PostgreSQL.

Seeds the large data set once (into its own database), starts gunicorn with persistent
connections, signs in each role by making a session, drives every page with ApacheBench over
loopback (8 concurrent connections) and writes bench/results.md. A benchmark, never a test:
it reports figures and which targets are met; it does not fail the build.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coproduction_bench")
CONCURRENCY = 8
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "800"))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "coproduction.settings",
    "DATABASE_URL": DATABASE_URL,
    "ROOT_URLCONF": "bench.urls",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "STATIC_MANIFEST": "false",
    "LOG_LEVEL": "WARNING",
    # As in production: sessions and the cache in Redis (databases apart from the tests' ones).
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
}

# (label, demo account, URL name, how to find its arguments). Pages whose URL does not exist yet
# are reported as "not built" rather than silently dropped.
PAGES = [
    ("Member dashboard", "member@example.org", "dashboard", None),
    ("Member: my projects", "member@example.org", "programmes:my_projects", None),
    ("Member recognition page", "member@example.org", "recognition:my_recognition", None),
    ("Opportunity list (public)", None, "people:opportunity_list", None),
    ("Applications list", "staff@example.org", "people:applications", "busiest_opportunity"),
    ("Programme page", "staff@example.org", "programmes:detail", "busiest_programme"),
    ("Programme list", "staff@example.org", "programmes:list", None),
    ("Approvals queue", "staff@example.org", "recognition:approvals", None),
    ("Finance batch page", "finance@example.org", "recognition:batch_detail", "latest_batch"),
    ("Reach report", "staff@example.org", "people:reach_programme", "busiest_programme"),
    ("Seven-steps review", "staff@example.org", "reporting:review", "busiest_programme"),
    ("Public 'We said, We did'", None, "reporting:public_reports", None),
    ("Our champions (public)", None, "programmes:champions", None),
]


def django_setup():
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def ensure_database():
    name = DATABASE_URL.rsplit("/", 1)[1]
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    manage("migrate", "--no-input", "-v", "0")


def ensure_large_seed() -> float | None:
    django_setup()
    from django.contrib.auth import get_user_model

    if get_user_model().objects.filter(email__endswith="@bench.example.org").exists():
        return None
    started = time.monotonic()
    manage("seed_demo", "--scale", "large")
    return time.monotonic() - started


def arguments(kind):
    from programmes.models import Programme

    if kind is None:
        return []
    if kind == "busiest_programme":
        from django.db.models import Count

        return [Programme.objects.annotate(n=Count("projects")).order_by("-n").first().public_id]
    if kind == "busiest_opportunity":
        from django.db.models import Count

        from people.models import Opportunity

        return [Opportunity.objects.annotate(n=Count("applications")).order_by("-n").first().public_id]
    if kind == "latest_batch":
        from recognition.models import PaymentBatch

        return [PaymentBatch.objects.order_by("-created_at").first().public_id]
    raise ValueError(kind)


def session_cookie(email) -> str:
    """A signed-in session for a demo account, made directly (the benchmark is not about sign-in)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def ab(path, cookie) -> dict:
    command = ["ab", "-q", "-k", "-n", str(REQUESTS), "-c", str(CONCURRENCY)]
    if cookie:
        command += ["-C", cookie]
    output = subprocess.run([*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests per second:\s+([\d.]+)", output).group(1))
    p50 = int(re.search(r"^\s+50%\s+(\d+)", output, re.M).group(1))
    p95 = int(re.search(r"^\s+95%\s+(\d+)", output, re.M).group(1))
    failed = int(re.search(r"Failed requests:\s+(\d+)", output).group(1))
    non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", output)
    return {"rps": rps, "p50": p50, "p95": p95, "errors": failed + (int(non_2xx.group(1)) if non_2xx else 0)}


def start_gunicorn():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "coproduction.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    for _ in range(100):
        try:
            import urllib.request

            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310 (loopback)
            return process
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def timed_jobs() -> list[tuple[str, str, str]]:
    """In-process timings: report build, payroll export, member data export (where built)."""
    rows = []
    try:
        from bench import jobs
    except ImportError:
        return rows
    for label, target, run in jobs.JOBS:
        try:
            rows.append((label, run(), target))
        except NotImplementedError as reason:
            rows.append((label, f"not built: {reason}", target))
    return rows


def main():
    ensure_database()
    seed_seconds = ensure_large_seed()
    from django.db import DatabaseError
    from django.urls import NoReverseMatch, reverse

    gunicorn = start_gunicorn()
    try:
        floor = ab("/bench/floor/", session_cookie("member@example.org"))
        ab("/bench/floor/", session_cookie("member@example.org"))  # warm both workers
        floor = ab("/bench/floor/", session_cookie("member@example.org"))
        results = []
        for label, email, url_name, kind in PAGES:
            try:
                path = reverse(url_name, args=arguments(kind))
            except (NoReverseMatch, ImportError, LookupError, AttributeError, DatabaseError):
                results.append((label, None))
                continue
            cookie = session_cookie(email) if email else ""
            ab(path, cookie)  # warm-up
            results.append((label, ab(path, cookie)))
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    write_report(floor, results, seed_seconds, timed_jobs())


def write_report(floor, results, seed_seconds, jobs):
    lines = [
        "# Benchmark results",
        "",
        f"gunicorn, 2 sync workers, DEBUG off, PostgreSQL with persistent connections; ApacheBench, "
        f"{REQUESTS} requests at {CONCURRENCY} concurrent connections over loopback, after a warm-up run.",
        "Targets: at least 50% of the floor's requests/s, and p95 under 150 ms.",
        f"Machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} when the run ended "
        "(other work on the machine lowers every figure).",
        "",
        "| page | requests/s | % of floor | p50 ms | p95 ms | errors | ≥ 50% of floor | p95 < 150 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        f"| Floor: session + user + 25-row list | {floor['rps']:.0f} | 100% | {floor['p50']} | {floor['p95']} "
        f"| {floor['errors']} | – | – |",
    ]
    for label, r in results:
        if r is None:
            lines.append(f"| {label} | not built yet | | | | | | |")
            continue
        share = 100 * r["rps"] / floor["rps"]
        fast_enough = "yes" if share >= 50 and r["errors"] == 0 else "NO"
        quick_enough = "yes" if r["p95"] < 150 and r["errors"] == 0 else "NO"
        lines.append(
            f"| {label} | {r['rps']:.0f} | {share:.0f}% | {r['p50']} | {r['p95']} | {r['errors']} "
            f"| {fast_enough} | {quick_enough} |"
        )
    if seed_seconds is not None:
        lines += ["", f"Large seed: {seed_seconds:.0f} s (target under 300 s)."]
    if jobs:
        lines += ["", "| job | result | target |", "| --- | --- | --- |"]
        lines += [f"| {label} | {result} | {target} |" for label, result, target in jobs]
    report = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
