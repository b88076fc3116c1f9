"""Administrative levels, from the country down. One place that everything reads."""

from django.db import models


class Level(models.TextChoices):
    COUNTRY = "country", "Country"
    DEPARTEMENT = "departement", "Département"
    ARRONDISSEMENT = "arrondissement", "Arrondissement"
    COMMUNE = "commune", "Commune"
    SECTION = "section", "Section communale"


RANK = {level: rank for rank, level in enumerate(Level.values)}


def rank(level: str) -> int:
    return RANK[level]
