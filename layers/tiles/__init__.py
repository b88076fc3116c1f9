"""Vector tiles (MVT) built in PostGIS, from a registry of tile sources.

Other apps add their own source (e.g. reports) with `layers.tiles.registry.register`.
"""
