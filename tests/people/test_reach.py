"""Reach: who applied, was shortlisted and was selected, as they were, beside the population, with
small numbers suppressed; and the population figures administrators load."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduction.models import AuditEntry
from people import services_opportunities as services
from people.models import EqualitySnapshot, PopulationFigure
from programmes.models import TeamMembership
from tests.conftest import assert_flat_queries
from tests.people.factories_opportunities import OpportunityFactory, PopulationFigureFactory, SnapshotFactory
from tests.programmes.factories import ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(staff):
    programme = ProgrammeFactory(name="Better Breathing")
    TeamMembership.objects.create(programme=programme, user=staff, role=TeamMembership.Role.LEAD)
    return programme


@pytest.fixture
def opportunity(programme, staff):
    return OpportunityFactory(project=ProjectFactory(programme=programme, lead=staff))


def snapshots(opportunity, n, **answers):
    for _ in range(n):
        SnapshotFactory(opportunity=opportunity, **answers)


def table(report, name):
    return next(t for t in report.tables if t.characteristic == name)


def row(report, name, key):
    found = next(r for r in table(report, name).rows if r.key == key)
    return [str(cell) for cell in found.cells]


# The report -----------------------------------------------------------------------------------------


def test_counts_are_suppressed_rounded_and_secondary_suppressed(opportunity):
    snapshots(opportunity, 30, sex="female", shortlisted=True)
    snapshots(opportunity, 12, sex="male", shortlisted=True, selected=True)
    snapshots(opportunity, 3, sex="prefer_not_to_say")
    report = services.reach_report(EqualitySnapshot.objects.filter(opportunity=opportunity))
    assert row(report, "sex", "female") == ["30", "30", "0"]
    # 3 is hidden; in the "applied" column the next smallest (12) is hidden too.
    assert row(report, "sex", "prefer_not_to_say") == ["*", "0", "0"]
    assert row(report, "sex", "male") == ["*", "10", "10"]
    assert row(report, "sex", "not_answered") == ["0", "0", "0"]
    assert [str(c) for c in table(report, "sex").totals] == ["45", "40", "10"]
    assert str(report.total_applied) == "45"


def test_ethnicity_is_counted_by_the_five_broad_groups(opportunity):
    snapshots(opportunity, 5, ethnicity="asian_indian")
    snapshots(opportunity, 5, ethnicity="asian_pakistani")
    snapshots(opportunity, 20, ethnicity="white_british")
    report = services.reach_report(EqualitySnapshot.objects.filter(opportunity=opportunity))
    assert [r.key for r in table(report, "ethnicity").rows] == [
        "white",
        "mixed",
        "asian",
        "black",
        "other",
        "prefer_not_to_say",
        "not_answered",
    ]
    assert row(report, "ethnicity", "asian")[0] == "10"
    assert row(report, "ethnicity", "white")[0] == "20"


def test_population_shares_sit_beside_the_counts(opportunity):
    PopulationFigureFactory(characteristic="sex", category="female", share="51.20")
    PopulationFigureFactory(characteristic="sex", category="female", share="50.00", as_of="2011-03-27")
    snapshots(opportunity, 10, sex="female")
    report = services.reach_report(EqualitySnapshot.objects.filter(opportunity=opportunity))
    female = next(r for r in table(report, "sex").rows if r.key == "female")
    assert str(female.population) == "51.20"  # the newest figure
    assert female.shares[0] == 100
    assert report.area == "Northbrook"


def test_the_report_counts_people_as_they_were_when_they_applied(opportunity, member):
    from people.models import EqualityMonitoring
    from tests.people.factories_opportunities import ApplicationFactory

    EqualityMonitoring.objects.create(user=member, age_band="18_24")
    application = ApplicationFactory(opportunity=opportunity, applicant=member, snapshot=False)
    services.take_equality_snapshot(application=application)
    EqualityMonitoring.objects.filter(user=member).update(age_band="25_34")
    snapshot = EqualitySnapshot.objects.get()
    assert snapshot.age_band == "18_24"


def test_the_programme_report_adds_up_all_its_opportunities(client_for, staff, programme, opportunity):
    second = OpportunityFactory(project=ProjectFactory(programme=programme, lead=staff))
    elsewhere = OpportunityFactory()
    snapshots(opportunity, 6, carer="yes")
    snapshots(second, 6, carer="yes")
    snapshots(elsewhere, 30, carer="yes")
    response = client_for(staff).get(reverse("people:reach_programme", args=[programme.public_id]))
    report = response.context["report"]
    assert row(report, "carer", "yes")[0] == "10"  # 12, rounded; not 42


def test_no_page_shows_one_persons_answers(client_for, staff, opportunity):
    SnapshotFactory(
        opportunity=opportunity, sex="female", ethnicity="black_african", religion="sikh", age_band="75_plus"
    )
    snapshots(opportunity, 20, sex="male", ethnicity="white_british", religion="none", age_band="35_44")
    page = client_for(staff).get(reverse("people:reach_opportunity", args=[opportunity.public_id])).content.decode()
    # Each characteristic of the single person is a hidden count, never a 1.
    assert ">1<" not in page and ">1 " not in page
    report_rows = [r for t in services.reach_report(EqualitySnapshot.objects.all()).tables for r in t.rows]
    assert all(str(cell) != "1" for r in report_rows for cell in r.cells)


def test_the_csv_download_has_only_protected_figures_and_is_audited(client_for, staff, opportunity):
    snapshots(opportunity, 3, sex="female")
    snapshots(opportunity, 40, sex="male")
    response = client_for(staff).get(reverse("people:reach_download_opportunity", args=[opportunity.public_id]))
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][:4] == ["characteristic", "category", "Applied (people)", "Applied (%)"]
    sex = {line[1]: line[2] for line in lines if line[0] == "Sex"}
    assert sex["Female"] == "*" and sex["Male"] == "*" and sex["Total"] == "45"
    assert "3" not in {line[2] for line in lines[1:]}
    assert AuditEntry.objects.filter(action="reach.downloaded").exists()


def test_who_may_see_reach_reports(client_for, staff, other_staff, leader, member, programme, opportunity):
    url = reverse("people:reach_opportunity", args=[opportunity.public_id])
    assert client_for(staff).get(url).status_code == 200
    assert client_for(leader).get(url).status_code == 200
    assert client_for(other_staff).get(url).status_code == 404
    assert client_for(member).get(url).status_code == 404
    programme_url = reverse("people:reach_programme", args=[programme.public_id])
    assert client_for(other_staff).get(programme_url).status_code == 404
    assert client_for(leader).get(programme_url).status_code == 200


def test_the_report_makes_the_same_number_of_queries_for_few_or_many(client_for, staff, opportunity):
    PopulationFigureFactory(characteristic="sex", category="female")

    def add(n):
        snapshots(opportunity, n, sex="female", ethnicity="white_irish", shortlisted=True)

    assert_flat_queries(
        client_for(staff), reverse("people:reach_opportunity", args=[opportunity.public_id]), add, few=1, many=40
    )


# Population figures ---------------------------------------------------------------------------------

GOOD_CSV = """characteristic,category,share,area,source,as_of
sex,female,51.2,Northbrook,Census 2021,2021-03-21
sex,Male,48.8,Northbrook,Census 2021,2021-03-21
ethnicity,asian,7.4,Northbrook,Census 2021,21/03/2021
ethnicity,White,85.0,Northbrook,Census 2021,2021-03-21
"""


def upload(client, text, name="figures.csv"):
    return client.post(
        reverse("people:population_upload"), {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    )


def test_an_administrator_loads_population_figures(client_for, administrator):
    response = upload(client_for(administrator), GOOD_CSV)
    assert response.status_code == 302
    figures = {(f.characteristic, f.category): str(f.share) for f in PopulationFigure.objects.all()}
    assert figures == {
        ("sex", "female"): "51.20",
        ("sex", "male"): "48.80",
        ("ethnicity", "asian"): "7.40",
        ("ethnicity", "white"): "85.00",
    }
    # Loading the same figures again replaces them, it does not double them.
    upload(client_for(administrator), GOOD_CSV)
    assert PopulationFigure.objects.count() == 4


def test_rejected_rows_are_listed_and_nothing_is_loaded(client_for, administrator):
    bad = GOOD_CSV + (
        "sex,robot,1,Northbrook,Census 2021,2021-03-21\n"
        "religion,none,150,Northbrook,Census 2021,2021-03-21\n"
        "shoe size,9,1,Northbrook,Census 2021,2021-03-21\n"
        "carer,yes,10,Northbrook,Census 2021,yesterday\n"
    )
    response = upload(client_for(administrator), bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was loaded" in page
    assert "Line 6" in page and "Line 7" in page and "Line 8" in page and "Line 9" in page
    assert "Unknown category" in page and "Share must be a percentage" in page and "Unknown characteristic" in page
    assert not PopulationFigure.objects.exists()


def test_a_file_that_is_not_a_csv_is_refused_next_to_the_field(client_for, administrator):
    response = upload(client_for(administrator), "hello", name="figures.xlsx")
    assert response.context["form"].errors["file"] == ["The selected file must be a CSV"]


def test_missing_columns_are_said(client_for, administrator):
    response = upload(client_for(administrator), "characteristic,category\nsex,female\n")
    assert "Missing: share, area, source, as_of" in response.content.decode()


def test_only_administrators_load_population_figures(client_for, staff, leader):
    assert client_for(staff).get(reverse("people:population_upload")).status_code == 403
    assert client_for(leader).get(reverse("people:population_upload")).status_code == 403
