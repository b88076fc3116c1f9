-- Whether an area (%(area)s, an id) lies in a scoped actor's territory or above it.
WITH RECURSIVE {territory}
SELECT %(area)s IN (SELECT id FROM territory) OR %(area)s IN (SELECT id FROM above)
