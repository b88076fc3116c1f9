-- Arrondissements exist in COD-AB only as a P-code prefix of their communes:
-- build each from the union of its communes (of the generation being loaded) and name it
-- honestly, by code. A published (non-derived) area with the same P-code is never
-- overwritten.
WITH groups AS (
    SELECT left(pcode, %(prefix)s) AS code,
           ST_Union(geom) AS geom,
           max(source) AS source,
           max(valid_on) AS valid_on
    FROM layers_adminarea
    WHERE generation_id = %(generation)s AND level = 'commune' AND length(pcode) > %(prefix)s
    GROUP BY 1
)
INSERT INTO layers_adminarea (
    generation_id, level, pcode, parent_pcode, name_fr, name_ht, name_en, derived, geom,
    source, valid_on, updated_at, population_source
)
SELECT %(generation)s, 'arrondissement', g.code,
       coalesce((SELECT d.pcode FROM layers_adminarea d
                 WHERE d.generation_id = %(generation)s AND d.level = 'departement'
                   AND left(g.code, length(d.pcode)) = d.pcode
                 ORDER BY length(d.pcode) DESC LIMIT 1), ''),
       'Arrondissement ' || g.code, 'Awondisman ' || g.code, 'Arrondissement ' || g.code,
       true, ST_Multi(ST_CollectionExtract(ST_MakeValid(g.geom), 3)),
       g.source, g.valid_on, now(), ''
FROM groups g
ON CONFLICT (generation_id, pcode) DO UPDATE
    SET geom = EXCLUDED.geom, parent_pcode = EXCLUDED.parent_pcode,
        source = EXCLUDED.source, valid_on = EXCLUDED.valid_on, updated_at = now()
    WHERE layers_adminarea.derived;

UPDATE layers_adminarea c
SET parent_pcode = left(c.pcode, %(prefix)s)
WHERE c.generation_id = %(generation)s AND c.level = 'commune'
  AND EXISTS (SELECT 1 FROM layers_adminarea a
              WHERE a.generation_id = %(generation)s
                AND a.pcode = left(c.pcode, %(prefix)s) AND a.level = 'arrondissement');
