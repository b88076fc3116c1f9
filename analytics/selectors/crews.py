"""A crew's day plan: its open tickets ordered from a depot."""

from datetime import date, datetime, time, timedelta

from django.contrib.gis.geos import Point
from django.db.models import Q
from django.utils import timezone

from analytics.results import Result
from analytics.selectors.roads import road_matrix
from analytics.selectors.routing import distance_matrix, nearest_neighbour, route_length, two_opt
from layers.models import Layer
from reports.models import Report
from reports.workflow import OPEN


def crew_tickets(*, team=None, user=None, day: date, max_stops: int):
    """Open tickets of the crew (assigned to the team, or to the user), created by the end
    of the day, counted as separate problems; most urgent and then oldest first, and due
    ones (expected by that day) before the rest."""
    end = datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())
    crew = Q(team=team) if team is not None else Q(assignee=user)
    tickets = (
        Report.objects.filter(crew, status__in=OPEN, hidden=False, duplicate_of__isnull=True)
        .filter(created_at__lt=end)
        .select_related("category")
        .order_by("-priority", "created_at", "id")
    )
    due = [t for t in tickets if t.expected_at is not None and t.expected_at < end]
    rest = [t for t in tickets if t.expected_at is None or t.expected_at >= end]
    chosen = (due + rest)[:max_stops]
    return chosen, len(due) + len(rest)


def crew_plan(
    *, day: date, depot: Point, team=None, user=None, max_stops: int = 25,
    return_to_depot: bool = True, roads: Layer | None = None,
) -> Result:  # fmt: skip
    """Straight-line (geodesic) distances, or distances along the lines of a road layer
    when one is given."""
    tickets, total = crew_tickets(team=team, user=user, day=day, max_stops=max_stops)
    lons = [depot.x] + [t.location.x for t in tickets]
    lats = [depot.y] + [t.location.y for t in tickets]
    matrix = distance_matrix(lons, lats)
    network = (
        road_matrix(layer_id=roads.pk, lons=lons, lats=lats, straight=matrix) if roads else None
    )
    if network is not None:
        matrix = network.matrix
    greedy = nearest_neighbour(matrix)
    order = two_opt(matrix, greedy, closed=return_to_depot)
    rows, geoms, travelled = [], [], 0.0
    previous = 0
    for stop, node in enumerate(order, start=1):
        ticket = tickets[node - 1]
        travelled += matrix[previous, node]
        rows.append(_stop_row(stop, ticket, matrix[previous, node], travelled))
        geoms.append({"type": "Point", "coordinates": [ticket.location.x, ticket.location.y]})
        previous = node
    length = route_length(matrix, order, closed=return_to_depot)
    path = [0, *order] + ([0] if return_to_depot else [])
    line = {"type": "LineString", "coordinates": _line(path, lons, lats, network)}
    crew = {"team": team.pk if team else None, "user": user.pk if user else None}
    rows.insert(0, {"stop": 0, "kind": "route", "reference": None, "category": None,
                    "priority": None, "status": None, "leg_m": None,
                    "cumulative_m": round(length, 1)})  # fmt: skip
    geoms.insert(0, line if len(path) > 1 else {"type": "Point", "coordinates": [depot.x, depot.y]})
    meta = {"analysis": "crew_plan", **crew, "day": day.isoformat(), "depot": [depot.x, depot.y]}
    meta.update(stops=len(order), open_tickets=total, left_for_later=total - len(order))
    meta.update(total_distance_m=round(length, 1), return_to_depot=return_to_depot)
    meta["nearest_neighbour_distance_m"] = round(
        route_length(matrix, greedy, closed=return_to_depot), 1
    )
    if network is not None:
        meta["distance"] = f"along road layer {roads.slug}"
        meta["unconnected_pairs"] = network.unconnected_pairs
    else:
        meta["distance"] = "straight line (geodesic)"
        if roads is not None:
            meta["note"] = f"road layer {roads.slug} has no line near the stops"
    return Result(name=f"crew_plan_{day.isoformat()}", rows=rows, geometries=geoms, meta=meta)


def _line(path: list[int], lons, lats, network) -> list[list[float]]:
    if network is None:
        return [[lons[n], lats[n]] for n in path]
    coords: list[list[float]] = []
    for a, b in zip(path, path[1:], strict=False):
        leg = network.paths.get((a, b))
        if leg is None:  # not connected by road: straight
            coords += [[lons[a], lats[a]], [lons[b], lats[b]]]
            continue
        xs, ys = network.to_wgs84.transform(*zip(*leg, strict=True))
        coords += [[round(x, 7), round(y, 7)] for x, y in zip(xs, ys, strict=True)]
    return coords or [[lons[0], lats[0]]] * 2


def _stop_row(stop: int, ticket: Report, leg: float, travelled: float) -> dict:
    return {
        "stop": stop, "kind": "ticket", "reference": ticket.reference,
        "category": ticket.category.code, "priority": ticket.priority, "status": ticket.status,
        "leg_m": round(float(leg), 1), "cumulative_m": round(float(travelled), 1),
    }  # fmt: skip
