"""Importing past completions from a CSV file: good rows land, every other row is reported and skipped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduction.models import AuditEntry
from people import training as services
from people.models.training import TrainingRecord
from programmes.models import TeamMembership
from tests.conftest import make_person
from tests.people.factories_training import CourseFactory, TrainingRecordFactory, programme_led_by
from tests.programmes.factories import days_from_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(title="Co-production essentials", code="COP-ESS", valid_for_months=24)


@pytest.fixture
def people_on_programme(staff, member, other_staff):
    """`member` takes part in staff's programme; `other_staff` is on its team."""
    programme = programme_led_by(staff, member=member)
    TeamMembership.objects.create(programme=programme, user=other_staff)
    return programme


def csv_file(text, name="training.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def import_as(client, text, name="training.csv"):
    return client.post(reverse("people:training_import"), {"file": csv_file(text, name)})


def test_good_rows_land_and_bad_rows_are_reported_with_the_reason(client_for, staff, course, people_on_programme):
    future = days_from_today(10).isoformat()
    text = (
        "Email,Course,Completion date\n"
        "alice@example.org,COP-ESS,2025-03-21\n"  # good, by code
        "DANA@example.org,co-production essentials,21/03/2025\n"  # good, by title, any case
        "alice@example.org,COP-ESS\n"  # malformed: a column missing
        "nobody@example.org,COP-ESS,2025-03-21\n"  # unknown person
        "bob@example.org,COP-ESS,2025-03-21\n"  # a real member, but not on staff's programmes
        "alice@example.org,Juggling,2025-03-21\n"  # unknown course
        f"alice@example.org,COP-ESS,{future}\n"  # in the future
        "alice@example.org,COP-ESS,31/02/2025\n"  # not a real date
        "alice@example.org,COP-ESS,2025-03-21\n"  # the same as line 2
        "\n"
    )
    make_person("Bob Member", "bob@example.org", "Member")
    response = import_as(client_for(staff), text)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.added == 2
    assert [(line, why) for line, _shown, why in report.skipped] == [
        (4, "This row has 2 columns, not 3"),
        (5, "No one you can record training for has the email address nobody@example.org"),
        (6, "No one you can record training for has the email address bob@example.org"),
        (7, "No course has the code or title “Juggling”"),
        (8, "The completion date is in the future"),
        (9, "“31/02/2025” is not a real date. Write dates like 2025-03-21 or 21/03/2025"),
        (10, "This is the same as line 2"),
    ]
    records = TrainingRecord.objects.order_by("person__email")
    assert [(r.person.email, r.completed_on.isoformat()) for r in records] == [
        ("alice@example.org", "2025-03-21"),
        ("dana@example.org", "2025-03-21"),
    ]
    assert all(r.evidence == "imported" and r.recorded_by == staff for r in records)
    assert records[0].expires_on.isoformat() == "2027-03-20"
    html = response.content.decode()
    assert "2 training records added." in html and "7 rows skipped." in html
    assert "This is the same as line 2" in html
    audit = AuditEntry.objects.get(action="training.records_imported")
    assert audit.detail == "rows=9 added=2 skipped=7"


def test_importing_the_same_file_twice_adds_nothing(client_for, staff, course, people_on_programme):
    text = "email,course,completion date\nalice@example.org,COP-ESS,2025-03-21\ndana@example.org,COP-ESS,2025-01-02\n"
    client = client_for(staff)
    import_as(client, text)
    again = import_as(client, text).context["report"]
    assert again.added == 0
    assert [why for _line, _shown, why in again.skipped] == ["Already recorded", "Already recorded"]
    assert TrainingRecord.objects.count() == 2


def test_administrators_can_import_training_for_anyone(administrator, course):
    make_person("Bob Member", "bob@example.org", "Member")
    report = services.import_completions(
        text="email,course,date\nbob@example.org,COP-ESS,2024-06-01\n", by=administrator
    )
    assert report.added == 1 and not report.skipped


def test_a_file_without_the_columns_is_refused_next_to_the_field(client_for, staff, course):
    response = import_as(client_for(staff), "name,when\nAlice,2025-03-21\n")
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "The first line must name the columns" in errors and "email" in errors
    assert response.context["report"] is None
    assert "nhsuk-error-summary" in response.content.decode()
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"email,course,date\n", "training.xlsx", "The selected file must be a CSV"),
        (b"\xff\xfe\x00bad", "training.csv", "The selected file must be saved as UTF-8 CSV"),
        (b"", "training.csv", "The selected file is empty"),
    ],
)
def test_a_file_that_is_not_a_utf8_csv_is_refused(client_for, staff, content, name, message):
    response = client_for(staff).post(
        reverse("people:training_import"), {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    )
    assert message in " ".join(response.context["form"].errors["file"])


def test_a_file_with_only_blank_lines_says_it_is_empty(staff):
    assert services.import_completions(text="\n\n", by=staff).problem == "The file is empty"


def test_the_expiry_of_an_imported_record_comes_from_the_course(staff, member, people_on_programme):
    never = CourseFactory(code="NEVER", valid_for_months=None)
    services.import_completions(text="email,course,date\nalice@example.org,NEVER,2020-01-01\n", by=staff)
    assert TrainingRecord.objects.get(course=never).expires_on is None


def test_a_completion_already_recorded_by_attendance_is_skipped(staff, member, course, people_on_programme):
    TrainingRecordFactory(person=member, course=course, completed_on=days_from_today(-10))
    day = days_from_today(-10).isoformat()
    report = services.import_completions(text=f"email,course,date\nalice@example.org,COP-ESS,{day}\n", by=staff)
    assert report.added == 0 and report.skipped[0][2] == "Already recorded"
