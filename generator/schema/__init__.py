"""The AWS provider schema trellis checks against and serves from its offline provider.

The compact schema has the layout of ``terraform providers schema -json`` restricted to
one provider: ``{"provider_version": "...", "resource_schemas": {type: {"version": n,
"block": BLOCK}}, "data_source_schemas": {...}}`` where ``BLOCK`` is ``{"attributes":
{name: {"type": cty-type-json, "required"|"optional"|"computed"|"sensitive": true}},
"block_types": {name: {"nesting_mode": "single|list|set|map|group", "min_items": n,
"max_items": n, "block": BLOCK}}}``. Descriptions are dropped.
"""
