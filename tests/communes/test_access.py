"""The one permission mechanism: roles per jurisdiction, `can` for one object and
`scope` for a queryset agreeing row by row, without a query per row."""

import pytest

from communes.access import POLICY, actor_for, can, scope
from layers.models import Layer
from reports.errors import Forbidden
from reports.models import Report
from reports.services.workflow import report_transition
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def test_a_delmas_supervisor_acts_on_delmas_tickets_only(towns, file_report):
    delmas, pap = file_report(where=f.DELMAS), file_report(where=f.PAP)
    supervisor = actor_for(towns.people.delmas_supervisor)
    report_transition(report_id=delmas.pk, actor=supervisor, status="acknowledged", version=1)
    with pytest.raises(Forbidden):
        report_transition(report_id=pap.pk, actor=supervisor, status="acknowledged", version=1)
    assert can(supervisor, "report.manage", delmas) and not can(supervisor, "report.manage", pap)


def test_a_national_planner_reads_every_commune_and_changes_nothing(towns, file_report):
    reports = [file_report(where=where) for where in (f.DELMAS, f.PAP, f.CAP)]
    planner, local = actor_for(towns.people.planner), actor_for(towns.people.delmas_planner)
    assert all(can(planner, "report.view_private", r) for r in reports)
    assert [can(local, "report.view_private", r) for r in reports] == [True, False, False]
    assert not any(can(planner, "report.work", r) for r in reports)
    with pytest.raises(Forbidden):
        report_transition(report_id=reports[0].pk, actor=planner, status="closed", version=1)


def test_crews_hold_report_actions_on_their_own_teams_tickets_only(towns, file_report):
    report = file_report(where=f.DELMAS)
    assert report.team == towns.teams["roads-delmas"]
    people = towns.people
    assert can(people.delmas_crew, "report.work", report)
    assert not can(people.delmas_other_crew, "report.work", report)  # same town, other team
    assert not can(people.pap_crew, "report.work", report)
    assert not can(people.delmas_crew, "report.manage", report)


def test_a_communes_gis_editor_edits_that_communes_layers_only(towns, api):
    body = {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(f.DELMAS)},
            "properties": {"name": "B"}}  # fmt: skip
    api.force_authenticate(towns.people.delmas_gis)
    assert (
        api.post("/api/v1/layers/drains-delmas/features/", body, format="json").status_code == 201
    )
    national = api.post("/api/v1/layers/drains-national/features/", body, format="json")
    assert national.status_code == 403 and "layer.edit" in national.json()["detail"]
    api.force_authenticate(towns.people.pap_gis)
    assert (
        api.post("/api/v1/layers/drains-delmas/features/", body, format="json").status_code == 403
    )
    api.force_authenticate(towns.people.gis)  # national: every layer
    assert (
        api.post("/api/v1/layers/drains-delmas/features/", body, format="json").status_code == 201
    )


REPORT_ACTIONS = ["report.view_private", "report.view_contact", "report.work", "report.manage"]


def test_scope_and_can_agree_row_by_row(towns, file_report):
    """The queryset rule (SQL) and the object rule (Python) are one table: for every person
    and action, `scope` keeps exactly the rows `can` allows."""
    for where in (f.DELMAS, f.PAP, f.CAP, f.DELMAS):
        file_report(where=where)
    reports, layers = list(Report.objects.all()), list(Layer.objects.all())
    for user in vars(towns.people).values():
        actor = actor_for(user)
        for action in REPORT_ACTIONS:
            expected = {r.pk for r in reports if can(actor, action, r)}
            assert set(scope(Report.objects.all(), actor, action).values_list("pk", flat=True)) == expected, (user, action)  # fmt: skip
        for action in ("layer.edit", "layer.view_private"):
            expected = {layer.pk for layer in layers if can(actor, action, layer)}
            got = set(scope(Layer.objects.all(), actor, action, team=None).values_list("pk", flat=True))  # fmt: skip
            assert got == expected, (user, action)


def test_every_policy_action_names_known_roles():
    known = {"crew", "supervisor", "planner", "gis_editor", "administrator"}
    assert all(rule.roles <= known for rule in POLICY.values())


@pytest.mark.parametrize("who", ["delmas_supervisor", "planner", "delmas_crew"])
def test_scoped_report_lists_cost_the_same_queries_for_5_or_15_reports(
    towns, file_report, api, django_assert_max_num_queries, who
):
    api.force_authenticate(getattr(towns.people, who))
    for _ in range(5):
        file_report(where=f.DELMAS)
    with django_assert_max_num_queries(12) as few:
        assert api.get("/api/v1/reports/", {"page_size": 50}).status_code == 200
    for _ in range(10):
        file_report(where=f.DELMAS)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get("/api/v1/reports/", {"page_size": 50}).json()
    assert len(body["results"]) >= 15 or who == "delmas_crew"


def test_scoped_layer_list_costs_the_same_queries_for_2_or_12_layers(
    towns, api, django_assert_max_num_queries
):
    api.force_authenticate(towns.people.delmas_gis)
    with django_assert_max_num_queries(8) as few:
        assert api.get("/api/v1/layers/").status_code == 200
    for n in range(10):
        Layer.objects.create(slug=f"x{n}", title="x", jurisdiction=towns.j["delmas"],
                             visibility="staff")  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get("/api/v1/layers/").json()
    assert len([la for la in body["layers"] if la["slug"].startswith("x")]) == 10
