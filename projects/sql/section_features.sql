-- Infrastructure of one section: features of public layers counted per layer.
SELECT l.slug, l.title, count(*) AS features
FROM layers_feature f JOIN layers_layer l ON l.id = f.layer_id
WHERE f.area_id = %(area)s AND l.visibility = 'public'
GROUP BY l.slug, l.title
ORDER BY l.title
