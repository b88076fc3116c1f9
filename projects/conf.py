"""Settings of the projects app: Django settings first, then the environment, then a
default; read when used so that tests may override them."""

import os

from django.conf import settings

DEFAULTS = {
    # The OCDS prefix the Open Contracting Partnership registered for the publisher
    # (`ocds-` and six characters); every ocid is `<prefix>-<project>-<procurement>`.
    "KOMIN_OCDS_PREFIX": "ocds-komin0",
    # Who publishes the OCDS packages.
    "KOMIN_OCDS_PUBLISHER": "Komin",
    # The public list of projects comes in pages: this many by default, at most the max.
    "KOMIN_PROJECTS_PAGE": "20",
    "KOMIN_PROJECTS_PAGE_MAX": "100",
}


def get(name: str):
    if hasattr(settings, name):
        return getattr(settings, name)
    return os.environ.get(name) or DEFAULTS[name]
