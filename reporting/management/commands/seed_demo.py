import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from coproduction import demo
from people import demo as people_demo
from programmes import demo as programmes_demo
from recognition import demo as recognition_demo
from reporting import demo as reporting_demo


class Command(BaseCommand):
    help = "Create demo data: one account per role and sample co-production work. Invented people only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["small", "large"],
            default="small",
            help="large: the benchmark's volumes (10,000 members, 400 projects, …), bulk-inserted.",
        )

    def handle(self, *args, scale="small", **options):
        started = time.monotonic()
        users = self.seed(scale)
        if scale == "large" and connection.vendor == "postgresql":
            # After a bulk load the planner has no statistics and the visibility map is empty, so
            # it would choose poor plans and skip index-only scans until autovacuum catches up.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({scale}, {time.monotonic() - started:.0f} s)."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/")
        self.stdout.write(f"Password for every demo account: {demo.DEMO_PASSWORD}")
        for email, user in users.items():
            roles = ", ".join(sorted(user.role_names))
            self.stdout.write(f"  {roles:<14} {email}")
        self.stdout.write(
            "Staff, leader, finance and admin accounts ask for a two-step code. Add this secret to an "
            f"authenticator app, or run: oathtool --totp -b {demo.DEMO_TOTP_SECRET}"
        )

    @transaction.atomic
    def seed(self, scale):
        users = demo.seed_accounts()
        programmes_demo.seed(users)
        people_demo.seed(users)
        recognition_demo.seed(users)
        reporting_demo.seed(users)
        if scale == "large":
            members = demo.seed_members(10_000)
            large = programmes_demo.seed_large(users, members)
            people_demo.seed_large(users, members, large["projects"])
            recognition_demo.seed_large(users, members, large["projects"])
            reporting_demo.seed_large(users, members)
        return users
