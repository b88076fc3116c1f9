"""Who may do what, where: the one permission mechanism of Komin.

A person holds roles through memberships, each in one jurisdiction or nationally.
`POLICY` says which roles allow each action. `can(who, action, obj)` answers for one
object (its jurisdiction, and for crews its team) and `scope(queryset, who, action)`
narrows a queryset by the same rule in SQL, so a list never costs a query per row.
API views, the admin, the frontend pages and the selectors all ask here.

We do not use django-rules: its predicates answer per object in Python and cannot
narrow a queryset, so every rule would be written twice (predicate and filter) and the
two could drift. Here one table yields both.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from reports.workflow import Role

R = Role
STAFF = frozenset({R.CREW, R.SUPERVISOR, R.PLANNER, R.GIS_EDITOR, R.ADMINISTRATOR})
# The strongest role shown as "your role" (labels, landing page) when a person holds several.
PRECEDENCE = [R.ADMINISTRATOR, R.SUPERVISOR, R.CREW, R.PLANNER, R.GIS_EDITOR]


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    # A crew member holds the action only on their own team's objects.
    crews_by_team: bool = False
    # Reading: national objects (jurisdiction empty) are open to holders in any jurisdiction.
    national_to_all: bool = False


def _rule(*roles: str, crews_by_team: bool = False, national_to_all: bool = False) -> Rule:
    return Rule(frozenset(roles), crews_by_team=crews_by_team, national_to_all=national_to_all)


POLICY: dict[str, Rule] = {
    # Reports: hidden ones, internal notes, staff fields.
    "report.view_private": _rule(
        R.CREW, R.SUPERVISOR, R.PLANNER, R.ADMINISTRATOR, crews_by_team=True
    ),
    # The reporter's name, e-mail and phone; hidden photos.
    "report.view_contact": _rule(R.CREW, R.SUPERVISOR, R.ADMINISTRATOR, crews_by_team=True),
    # Live updates of tickets (GET /api/v1/events/): crews their team's, others their areas'.
    "report.live": _rule(R.CREW, R.SUPERVISOR, R.PLANNER, R.ADMINISTRATOR, crews_by_team=True),
    # Move a ticket through the workflow (which moves: reports.workflow), comment.
    "report.work": _rule(R.CREW, R.SUPERVISOR, R.ADMINISTRATOR, crews_by_team=True),
    # Reassign, set the priority, merge, moderate, transfer to another jurisdiction.
    "report.manage": _rule(R.SUPERVISOR, R.ADMINISTRATOR),
    # A team's day plan (planners read them; crews only their own team's).
    "team.plan": _rule(R.CREW, R.SUPERVISOR, R.PLANNER, R.ADMINISTRATOR, crews_by_team=True),
    # Configuration of a jurisdiction.
    "team.edit": _rule(R.ADMINISTRATOR),
    "routing.edit": _rule(R.SUPERVISOR, R.ADMINISTRATOR),
    "category.edit": _rule(R.ADMINISTRATOR),
    "jurisdiction.edit": _rule(R.ADMINISTRATOR),
    "apikey.edit": _rule(R.ADMINISTRATOR),
    # SMS / chat gateways (numbers, credentials), the block list, outgoing webhooks.
    "gateway.edit": _rule(R.ADMINISTRATOR),
    "webhook.edit": _rule(R.ADMINISTRATOR),
    # Layers: staff-only layers and private attributes; editing features, imports.
    "layer.view_private": _rule(*STAFF, national_to_all=True),
    "layer.edit": _rule(R.GIS_EDITOR, R.ADMINISTRATOR),
    # Rasters are national data (no jurisdiction): only national holders write them.
    "raster.view": _rule(
        R.PLANNER, R.SUPERVISOR, R.GIS_EDITOR, R.ADMINISTRATOR, national_to_all=True
    ),
    "raster.edit": _rule(R.GIS_EDITOR, R.ADMINISTRATOR),
    "analytics.view": _rule(R.PLANNER, R.SUPERVISOR, R.ADMINISTRATOR),
    # Public works projects: create, edit, move, budget lines, timeline, procurement.
    "project.edit": _rule(R.PLANNER, R.ADMINISTRATOR),
    # Participatory budgets: open and move rounds; review proposals.
    "participation.manage": _rule(R.PLANNER, R.ADMINISTRATOR),
    "participation.review": _rule(R.SUPERVISOR, R.ADMINISTRATOR),
    # Consultations, one action each: create, edit (texts, dates; questions until the first
    # answer), open, close; and see results live, private text answers and raw answers.
    "consultation.create": _rule(R.PLANNER, R.ADMINISTRATOR),
    "consultation.edit": _rule(R.PLANNER, R.ADMINISTRATOR),
    "consultation.open": _rule(R.PLANNER, R.ADMINISTRATOR),
    "consultation.close": _rule(R.PLANNER, R.ADMINISTRATOR),
    "consultation.results": _rule(R.PLANNER, R.SUPERVISOR, R.ADMINISTRATOR),
    # Who may log into the Django admin at all (crews and planners work in the app).
    "admin.login": _rule(R.SUPERVISOR, R.GIS_EDITOR, R.ADMINISTRATOR),
    # Every background job (failed ones with their error); others see the jobs they started.
    "job.view_all": _rule(R.ADMINISTRATOR),
    "page.crew": _rule(R.CREW, R.SUPERVISOR, R.ADMINISTRATOR),
    "page.dashboard": _rule(R.PLANNER, R.SUPERVISOR, R.ADMINISTRATOR),
}

NATIONAL = None


@dataclass(frozen=True)
class Actor:
    """A person (or nobody) with every role they hold: `grants` pairs a jurisdiction id
    (None: national) with a role."""

    user: object | None
    role: str
    grants: frozenset[tuple[int | None, str]] = frozenset()
    team_ids: frozenset[int] = field(default_factory=frozenset)
    superuser: bool = False
    label: str = ""

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def base_role(self) -> str:
        return R.CITIZEN if self.user is not None else R.ANONYMOUS

    def roles_in(self, jurisdiction_id: int | None) -> set[str]:
        """Roles held over objects of this jurisdiction (national grants count everywhere)."""
        if self.superuser:
            return {R.ADMINISTRATOR}
        return {role for where, role in self.grants if where is None or where == jurisdiction_id}

    def jurisdictions(self, role: str) -> set[int | None]:
        return {where for where, held in self.grants if held == role}


ANONYMOUS = Actor(user=None, role=R.ANONYMOUS)


def actor_for(user) -> Actor:
    """Two queries (memberships, teams), once per user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_komin_actor", None)
    if cached is not None:
        return cached
    grants = frozenset(user.memberships.values_list("jurisdiction_id", "role"))
    held = {role for _, role in grants}
    role = (
        R.ADMINISTRATOR
        if user.is_superuser
        else next((r for r in PRECEDENCE if r in held), R.CITIZEN)
    )
    actor = Actor(
        user=user,
        role=role,
        grants=grants,
        team_ids=frozenset(user.teams.values_list("pk", flat=True)),
        superuser=user.is_superuser,
        label=user.get_username(),
    )
    user._komin_actor = actor
    return actor


def as_actor(who) -> Actor:
    return who if isinstance(who, Actor) else actor_for(who)


def jurisdiction_of(obj) -> int | None:
    """The jurisdiction an object belongs to (None: national)."""
    from communes.models import Jurisdiction

    if isinstance(obj, Jurisdiction):
        return obj.pk
    if hasattr(obj, "jurisdiction_id"):
        return obj.jurisdiction_id
    layer = getattr(obj, "layer", None)  # a feature belongs where its layer does
    if layer is not None:
        return layer.jurisdiction_id
    raise TypeError(f"{type(obj).__name__} has no jurisdiction")


def _team_of(obj) -> int | None:
    from reports.models import Team

    return obj.pk if isinstance(obj, Team) else getattr(obj, "team_id", None)


def can(who, action: str, obj=None) -> bool:
    """May `who` (a user or an Actor) do `action` on `obj`? Without an object: does the
    person hold the action anywhere (menus, pages, the admin's door)?"""
    actor = as_actor(who)
    rule = POLICY[action]
    if actor.superuser:
        return True
    if obj is None:
        return any(role in rule.roles for _, role in actor.grants)
    where = jurisdiction_of(obj)
    if where is None and rule.national_to_all:
        roles = {role for _, role in actor.grants}
    else:
        roles = actor.roles_in(where)
    roles &= rule.roles
    if rule.crews_by_team and roles == {R.CREW}:
        return _team_of(obj) in actor.team_ids
    return bool(roles)


def scope_q(
    who, action: str, *, jurisdiction: str = "jurisdiction", team: str | None = "team"
) -> Q | None:
    """The rows `who` may `action`, as a Q over the given field paths; None means all."""
    actor = as_actor(who)
    rule = POLICY[action]
    if actor.superuser:
        return None
    national = [role for where, role in actor.grants if where is None and role in rule.roles]
    if any(role != R.CREW or not rule.crews_by_team for role in national):
        return None
    q = Q(pk__in=[])
    local = {where for where, role in actor.grants if where is not None and role in rule.roles}
    if rule.crews_by_team and team:
        crew_where = actor.jurisdictions(R.CREW)
        local -= {w for w in crew_where if not _holds_other(actor, rule, w)}
        by_team = Q(**{f"{team}__in": actor.team_ids})
        if NATIONAL not in crew_where:
            by_team &= Q(**{f"{jurisdiction}__in": crew_where - {NATIONAL}})
        if crew_where:
            q |= by_team
    if local:
        q |= Q(**{f"{jurisdiction}__in": local})
    if rule.national_to_all and actor.grants and any(r in rule.roles for _, r in actor.grants):
        q |= Q(**{f"{jurisdiction}__isnull": True})
    return q


def _holds_other(actor: Actor, rule: Rule, where: int) -> bool:
    """Whether the actor holds a role other than crew for this rule in `where`."""
    return any(w == where and r in rule.roles and r != R.CREW for w, r in actor.grants)


def scope(queryset: QuerySet, who, action: str, **fields) -> QuerySet:
    q = scope_q(who, action, **fields)
    return queryset if q is None else queryset.filter(q)


def jurisdiction_ids(who, action: str) -> set[int] | None:
    """Jurisdictions where `who` holds the action (None: all of them)."""
    actor = as_actor(who)
    rule = POLICY[action]
    if actor.superuser or any(w is None and r in rule.roles for w, r in actor.grants):
        return None
    return {w for w, r in actor.grants if r in rule.roles}


def roles_on(who, report, *, token: str | None = None) -> set[str]:
    """The workflow roles held on one report: those of its jurisdiction (crews: only on
    their team's tickets), plus `reporter` for whoever filed it (by account or with the
    private tracking token); a person with none acts as a citizen."""
    actor = as_actor(who)
    roles = actor.roles_in(report.jurisdiction_id) & {R.CREW, R.SUPERVISOR, R.ADMINISTRATOR}
    if R.CREW in roles and report.team_id not in actor.team_ids:
        roles.discard(R.CREW)
    if not roles:
        roles = {actor.base_role}
    if token and token == report.token:
        roles.add(R.REPORTER)
    if actor.user_id is not None and actor.user_id == report.reporter_id:
        roles.add(R.REPORTER)
    return roles


def manager_role(who, obj) -> str | None:
    """The role under which `who` manages this object (administrator before supervisor)."""
    roles = as_actor(who).roles_in(jurisdiction_of(obj))
    return next((r for r in (R.ADMINISTRATOR, R.SUPERVISOR) if r in roles), None)
