"""Demo accounts: one per role, with invented names. Never real people."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model

from coproduction.roles import Role, role_group

DEMO_PASSWORD = "coproduce-demo-2026"
# A fixed authenticator secret so testers can add the demo staff-side accounts to an app
# (or run `oathtool --totp -b <secret>`). Demo only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_ACCOUNTS = [
    ("member@example.org", "Amara Okafor", [Role.MEMBER]),
    ("member2@example.org", "Dylan Pryce", [Role.MEMBER]),
    ("staff@example.org", "Priya Shah", [Role.STAFF]),
    ("staff2@example.org", "Tomasz Nowak", [Role.STAFF]),
    ("leader@example.org", "Grace Adeyemi", [Role.LEADER]),
    ("finance@example.org", "Owen Hughes", [Role.FINANCE]),
    ("admin@example.org", "Morgan Ellis", [Role.ADMINISTRATOR]),
]


def seed_accounts() -> dict[str, object]:
    """Create (or refresh) the demo accounts. Returns them by email."""
    User = get_user_model()
    users = {}
    for email, name, roles in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(email=email, defaults={"name": name})
        user.name = name
        user.set_password(DEMO_PASSWORD)
        if Role.ADMINISTRATOR in roles:
            user.is_staff = user.is_superuser = True
        user.save()
        user.groups.set([role_group(role) for role in roles])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if set(roles) & Role.NEEDS_MFA and not Authenticator.objects.filter(user=user, type="totp").exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        users[email] = user
    return users


def seed_members(count: int) -> list:
    """Bulk-create `count` verified members with invented names, for the large benchmark seed."""
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    first = ["Alex", "Sam", "Jo", "Priya", "Kwame", "Mei", "Aled", "Siobhan", "Tariq", "Ewa", "Nia", "Oluwaseun"]
    last = ["Morgan", "Khan", "Evans", "Nowak", "Okoro", "Chen", "Roberts", "Murphy", "Hussain", "Jones"]
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing 10,000 times would take minutes
    start = User.objects.count()
    users = User.objects.bulk_create(
        [
            User(
                email=f"member{start + i}@bench.example.org",
                name=f"{first[i % len(first)]} {last[(i // len(first)) % len(last)]}",
                password=password,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    if not users or users[0].pk is None:  # SQLite before 3.35 does not return ids
        users = list(User.objects.filter(email__endswith="@bench.example.org").order_by("pk"))[-count:]
    member_group = role_group(Role.MEMBER)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=member_group.pk) for u in users], batch_size=5000
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True) for u in users], batch_size=5000
    )
    return users
