"""The bulk generator of the benchmarks and `make seed` (bench/seeding.py, tooling outside
the addon), run in `odoo shell` on the system-test database as scripts/seed.sh runs it.
Nothing is committed: the shell rolls its transaction back."""
import json
import pathlib

import pytest

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench"

SCRIPT = r'''
import json, sys
sys.path.insert(0, BENCH_DIR)
import seeding

teams = seeding.generate_department(env, agents=20, team_size=8)
leader_group = "telesales_mgmt.group_telesales_leader"
department = {
    "teams": len(teams),
    "staff": len(teams.telesales_employee_ids),
    "teams_ok": [{"name": team.name,
                  "leader_is_member": team.user_id in team.member_ids,
                  "leader_is_leader": team.user_id.has_group(leader_group),
                  "members_are_staff": team.member_ids == team.telesales_employee_ids.user_id}
                 for team in teams],
}
first = seeding.generate_leads(env, 50, seed=7, batch_size=20)
second = seeding.generate_leads(env, 50, seed=7, batch_size=50)
assigned = first.filtered("user_id")
leads = {
    "count": len(first),
    "same_phones": first.mapped("phone") == second.mapped("phone"),
    "phones": first.mapped("phone"),
    "assigned": len(assigned),
    "pool": len(first.filtered(lambda lead: not lead.team_id)),
    "owners_in_their_team": all(lead.user_id in lead.team_id.member_ids for lead in assigned),
}
print("RESULT " + json.dumps({"department": department, "leads": leads}))
'''


@pytest.fixture(scope="module")
def generated(odoo_system):
    script = SCRIPT.replace("BENCH_DIR", repr(str(BENCH)))
    return json.loads(odoo_system.shell(script)[0])


def test_department_generator(generated):
    department = generated["department"]
    assert department["teams"] == 3, "20 agents in teams of 8"
    assert department["staff"] == 20
    for team in department["teams_ok"]:
        assert team["leader_is_member"], team
        assert team["leader_is_leader"], team
        assert team["members_are_staff"], team


def test_lead_generator_is_deterministic_and_batched(generated):
    leads = generated["leads"]
    assert leads["count"] == 50
    assert leads["same_phones"], "the same seed gives the same leads, whatever the batch size"
    assert all(phone.startswith("+86 1") for phone in leads["phones"])
    assert leads["assigned"] and leads["pool"], "some leads owned, some in the pool"
    assert leads["owners_in_their_team"]
