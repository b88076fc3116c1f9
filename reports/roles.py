"""Roles as Django groups; the role of an actor on one report (object level)."""

from dataclasses import dataclass, field

from reports.workflow import MANAGER_ROLES, Role

# Django group name of each staff or citizen role.
GROUPS = {
    Role.CITIZEN: "citizens",
    Role.CREW: "crews",
    Role.SUPERVISOR: "supervisors",
    Role.PLANNER: "planners",
    Role.ADMINISTRATOR: "administrators",
}
# The strongest role wins when a user is in several groups.
PRECEDENCE = [Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CREW, Role.PLANNER, Role.CITIZEN]


@dataclass(frozen=True)
class Actor:
    user: object | None
    role: str
    team_ids: frozenset[int] = field(default_factory=frozenset)
    label: str = ""

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES

    @property
    def sees_contacts(self) -> bool:
        return self.role in (Role.CREW, Role.SUPERVISOR, Role.ADMINISTRATOR)

    @property
    def sees_everything(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.PLANNER, Role.ADMINISTRATOR)


def actor_for(user) -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user=None, role=Role.ANONYMOUS)
    if user.is_superuser:
        role = Role.ADMINISTRATOR
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in PRECEDENCE if GROUPS[r] in names), Role.CITIZEN)
    teams = frozenset(user.teams.values_list("pk", flat=True))
    return Actor(user=user, role=role, team_ids=teams, label=user.get_username())


def roles_on(actor: Actor, report, *, token: str | None = None) -> set[str]:
    """The roles the actor holds on this report: its own, plus `reporter` if it filed
    the report (by account) or holds the report's private tracking token."""
    roles = {actor.role}
    if token and token == report.token:
        roles.add(Role.REPORTER)
    if actor.user_id is not None and actor.user_id == report.reporter_id:
        roles.add(Role.REPORTER)
    if Role.CREW in roles and report.team_id not in actor.team_ids:
        roles.discard(Role.CREW)  # crews act only on their own team's tickets
    return roles


def can_see(actor: Actor, report) -> bool:
    if actor.sees_everything:
        return True
    if actor.role == Role.CREW and report.team_id in actor.team_ids:
        return True
    return not report.hidden
